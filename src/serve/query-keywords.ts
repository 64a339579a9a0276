/**
 * JSON Schema keywords the route schemas use for what plain JSON Schema cannot say of a query
 * string, added to fastify's ajv as a plugin. ajv's type coercion turns "Infinity" and "1e309" into
 * Infinity, which passes `type: integer`, and its `minimum`/`maximum` skip numbers that are not
 * finite: so a bound alone never holds. `x-finite` refuses such numbers after coercion;
 * `x-calendar-date` is the CLI's date rule (a real month and day); `x-no-nul` refuses NUL, which
 * no query text needs and which SQLite's full-text parser cannot read.
 *
 *   Fastify({ ajv: { plugins: [queryKeywords] } });   { type: 'integer', maximum: 100, 'x-finite': true }
 */
import type { Ajv, KeywordDefinition, SchemaValidateFunction } from 'ajv';
import { isCalendarDate } from '../text/calendar-date.js';

/** A keyword on values of one JavaScript type; not ajv's `type` option, whose number group skips non-finite numbers. */
function check<T>(keyword: string, type: 'number' | 'string', ok: (data: T) => boolean, message: string): KeywordDefinition {
  const validate: SchemaValidateFunction = (_schema: boolean, data: T) => {
    if (typeof data !== type || ok(data)) return true;
    validate.errors = [{ keyword, message, params: {} }];
    return false;
  };
  return { keyword, schemaType: 'boolean', errors: true, validate };
}

export function queryKeywords(ajv: Ajv): Ajv {
  ajv.addKeyword(check('x-finite', 'number', (n: number) => Number.isFinite(n), 'must be a finite number'));
  ajv.addKeyword(
    check<string>('x-calendar-date', 'string', isCalendarDate, 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD with a real month and day'),
  );
  ajv.addKeyword(check('x-no-nul', 'string', (s: string) => !s.includes('\u0000'), 'must not contain a NUL character'));
  return ajv;
}
