/**
 * Whether a text is a calendar date as YYYY, YYYY-MM or YYYY-MM-DD with a real month and a day that
 * month has (2020-02-29 is one, 2020-02-30 and 2026-13-45 are not): the one rule for dates given by
 * people, shared by the CLI's date flags and the HTTP API's date parameters.
 *
 *   isCalendarDate('2024-02-29')  // true      isCalendarDate('2023-02-29')  // false
 */
const SHAPE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function isCalendarDate(s: string): boolean {
  const m = SHAPE.exec(s);
  if (m === null) return false;
  if (m[2] === undefined) return true;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  return m[3] === undefined || (Number(m[3]) >= 1 && Number(m[3]) <= daysIn(Number(m[1]), month));
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
