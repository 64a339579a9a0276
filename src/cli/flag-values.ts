/**
 * Typed, checked values of a command's string flags and query text, for the query commands
 * (search, relations, facets, ask). A bad value is a LITMINE_USAGE error naming the flag, the value
 * and what is allowed, raised before any store is opened.
 *
 *   const limit = integerFlag(values, 'limit', { min: 1, max: MAX_LIMIT, fallback: 10 });   // "--limit abc" → LITMINE_USAGE
 */
import { LitmineError } from '../errors.js';
import { isCalendarDate } from '../text/calendar-date.js';
import type { ParsedCommandArgs } from './command.js';

/** The most hits one query returns (Elasticsearch's result window is 10,000; a page is enough). */
export const MAX_LIMIT = 1000;
/** The longest query or question accepted, in characters; longer text is an error, not a cut. */
export const MAX_QUERY_CHARS = 2000;

type Values = ParsedCommandArgs['values'];

export function integerFlag(values: Values, name: string, opts: { min: number; max: number; fallback: number }): number {
  const raw = values[name];
  if (raw === undefined) return opts.fallback;
  const text = String(raw).trim();
  const n = /^[+]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < opts.min || n > opts.max) {
    throw new LitmineError('LITMINE_USAGE', `--${name} must be a whole number from ${opts.min} to ${opts.max}, got "${String(raw)}"`);
  }
  return n;
}

/** A calendar date as YYYY, YYYY-MM or YYYY-MM-DD (a real month and day); undefined when absent. */
export function dateFlag(values: Values, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (!isCalendarDate(text))
    throw new LitmineError('LITMINE_USAGE', `--${name} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got "${String(raw)}"`);
  return text;
}

export function stringFlag(values: Values, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (text === '') throw new LitmineError('LITMINE_USAGE', `--${name} needs a value`);
  if (text.length > MAX_QUERY_CHARS) throw tooLong(`--${name}`, text.length);
  return text;
}

/** The positionals as one query text, bounded; '' when there are none. */
export function queryText(positionals: string[], what: string): string {
  const text = positionals.join(' ').trim();
  if (text.length > MAX_QUERY_CHARS) throw tooLong(`the ${what}`, text.length);
  return text;
}

/** Checks --from-date is not after --to-date (both already valid). */
export function dateRange(from: string | undefined, to: string | undefined): void {
  if (
    from !== undefined &&
    to !== undefined &&
    from.slice(0, Math.min(from.length, to.length)) > to.slice(0, Math.min(from.length, to.length))
  ) {
    throw new LitmineError('LITMINE_USAGE', `--from-date ${from} is after --to-date ${to}`);
  }
}

function tooLong(what: string, chars: number): LitmineError {
  return new LitmineError('LITMINE_USAGE', `${what} is ${chars} characters long; the limit is ${MAX_QUERY_CHARS}`);
}
