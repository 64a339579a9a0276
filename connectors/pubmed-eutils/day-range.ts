/**
 * Calendar-day arithmetic on ISO dates (YYYY-MM-DD) in UTC, where a day is just a label: windows,
 * splits and catch-up all work on labels, never on local clock times.
 *
 *   addDays('2026-02-28', 1) → '2026-03-01';  daysBetween('2026-01-01', '2026-01-03') → 2
 */
import { LitmineError } from '../../src/errors.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function assertDay(day: string, what = 'date'): string {
  if (!ISO_DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || toDay(new Date(`${day}T00:00:00Z`)) !== day) {
    throw new LitmineError('LITMINE_USAGE', `${what} "${day}" is not a date (YYYY-MM-DD)`);
  }
  return day;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return toDay(d);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** E-utilities wants YYYY/MM/DD. */
export function eutilsDate(day: string): string {
  return day.replaceAll('-', '/');
}
