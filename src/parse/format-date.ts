/**
 * Turns a PubMed or JATS date element (Year/Month/Day children, any case) into the ISO-like form the
 * Article record uses: as precise as the source, never invented ("2019", "2019-03", "2019-03-14").
 *
 *   formatDate(<PubDate><Year>2001</Year><Month>Jun</Month></PubDate>) → '2001-06'
 */
import { childText, type XmlElement } from './xml-element.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function formatDate(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const year = childText(el, 'Year') ?? childText(el, 'year');
  if (!year || !/^\d{4}$/.test(year)) return undefined;
  const month = monthNumber(childText(el, 'Month') ?? childText(el, 'month'));
  if (!month) return year;
  const day = childText(el, 'Day') ?? childText(el, 'day');
  const dayNumber = day && /^\d{1,2}$/.test(day) ? Number(day) : 0;
  if (dayNumber < 1 || dayNumber > 31) return `${year}-${month}`;
  return `${year}-${month}-${String(dayNumber).padStart(2, '0')}`;
}

function monthNumber(month: string | undefined): string | undefined {
  if (!month) return undefined;
  if (/^\d{1,2}$/.test(month)) {
    const n = Number(month);
    return n >= 1 && n <= 12 ? String(n).padStart(2, '0') : undefined;
  }
  const index = MONTHS.indexOf(month.slice(0, 3).toLowerCase());
  return index >= 0 ? String(index + 1).padStart(2, '0') : undefined;
}
