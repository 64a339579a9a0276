/**
 * The one flag parser every command shares: each command declares what its string flags hold (a
 * `value` rule beside parseArgs' `type`), and the dispatcher checks and converts every flag before
 * the command runs, so no command can forget a bound. A bad value is a LITMINE_USAGE error (exit 2)
 * naming the flag, the value and what is allowed, raised before any log or store is opened. Every
 * string value, with a rule or without, is bounded in length.
 *
 *   options: { limit: { type: 'string', value: limitRule() } }   // "--limit -5", "--limit abc" → LITMINE_USAGE
 *   const limit = (values.limit as number | undefined) ?? 10;
 */
import { LitmineError } from '../errors.js';
import { isCalendarDate } from '../text/calendar-date.js';
import type { CommandOptions, ParsedCommandArgs } from './command.js';

/** The most hits one query returns (Elasticsearch's result window is 10,000; a page is enough). */
export const MAX_LIMIT = 1000;
/** The longest query or question accepted, in characters; longer text is an error, not a cut. */
export const MAX_QUERY_CHARS = 2000;
/** The longest value of a flag without a text rule (paths, names, ids): a path is at most 4,096 bytes. */
export const MAX_FLAG_CHARS = 4096;

export type FlagRule =
  /** A whole number within the bounds, converted to a number; `noun` names it in the error ("a port number"). */
  | { kind: 'integer'; min: number; max: number; noun?: string }
  /** A finite decimal number within the bounds, converted to a number. */
  | { kind: 'number'; min: number; max: number }
  /** A calendar date as YYYY, YYYY-MM or YYYY-MM-DD; `day` asks for YYYY-MM-DD. */
  | { kind: 'date'; day?: boolean }
  /** One of a fixed set of words. */
  | { kind: 'choice'; choices: readonly string[] }
  /** Free text, trimmed and not empty (verbatim: as given), at most maxChars (default MAX_QUERY_CHARS). */
  | { kind: 'text'; maxChars?: number; verbatim?: boolean };

export const limitRule = (max = MAX_LIMIT): FlagRule => ({ kind: 'integer', min: 1, max });
export const TEXT: FlagRule = { kind: 'text' };
export const DATE: FlagRule = { kind: 'date' };
export const DAY: FlagRule = { kind: 'date', day: true };
export const PORT: FlagRule = { kind: 'integer', min: 0, max: 65535, noun: 'a port number' };

type Values = ParsedCommandArgs['values'];

/** The parsed values with every rule checked and numbers converted; throws LITMINE_USAGE. */
export function checkFlags(values: Values, options: CommandOptions): Values {
  const out: Values = { ...values };
  for (const [name, raw] of Object.entries(values)) {
    const option = options[name];
    if (option === undefined || option.type !== 'string' || raw === undefined) continue;
    const check = (v: string) => flagValue(name, v, option.value);
    out[name] = Array.isArray(raw) ? (raw as string[]).map(check) : check(String(raw));
  }
  return out;
}

function flagValue(name: string, raw: string, rule: FlagRule | undefined): string | number {
  const flag = `--${name}`;
  const limit = rule?.kind === 'text' ? (rule.maxChars ?? MAX_QUERY_CHARS) : MAX_FLAG_CHARS;
  if (raw.length > limit) throw tooLong(flag, raw.length, limit);
  if (rule === undefined) return raw;
  const text = raw.trim();
  switch (rule.kind) {
    case 'integer': {
      const n = /^[+]?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < rule.min || n > rule.max)
        throw bad(flag, raw, `${rule.noun ?? 'a whole number'} from ${rule.min} to ${rule.max}`);
      return n;
    }
    case 'number': {
      // Number('') is 0 and Number('Infinity') is not finite: only decimal spellings pass.
      const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(n) || n < rule.min || n > rule.max) throw bad(flag, raw, `a number from ${rule.min} to ${rule.max}`);
      return n;
    }
    case 'date':
      if (rule.day ? !/^\d{4}-\d{2}-\d{2}$/.test(text) || !isCalendarDate(text) : !isCalendarDate(text))
        throw bad(flag, raw, rule.day ? 'a date as YYYY-MM-DD' : 'a date as YYYY, YYYY-MM or YYYY-MM-DD');
      return text;
    case 'choice':
      if (!rule.choices.includes(text)) throw bad(flag, raw, `one of ${rule.choices.join(', ')}`);
      return text;
    case 'text':
      if (rule.verbatim) return raw;
      if (text === '') throw new LitmineError('LITMINE_USAGE', `${flag} needs a value`);
      return text;
  }
}

/** The positionals as one query text, bounded; '' when there are none. */
export function queryText(positionals: string[], what: string): string {
  const text = positionals.join(' ').trim();
  if (text.length > MAX_QUERY_CHARS) throw tooLong(`the ${what}`, text.length, MAX_QUERY_CHARS);
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

function bad(flag: string, raw: string, allowed: string): LitmineError {
  return new LitmineError('LITMINE_USAGE', `${flag} must be ${allowed}, got "${raw}"`);
}

function tooLong(what: string, chars: number, limit: number): LitmineError {
  return new LitmineError('LITMINE_USAGE', `${what} is ${chars} characters long; the limit is ${limit}`);
}
