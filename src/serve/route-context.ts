/**
 * What every route group of `litmine serve` gets: the store, the request limits, and `run`, which
 * puts the time limit on a store query. Also the JSON Schema pieces the route schemas share.
 *
 *   app.get('/api/x', { schema }, async (req) => ctx.run(req, 'x', (store) => store.search(q)));
 */
import type { FastifyRequest } from 'fastify';
import type { SearchStore } from '../store/store.js';
import type { DictionaryNames } from './dictionary-names.js';

export interface ServeLimits {
  queryTimeoutMs: number;
  maxPageSize: number;
  maxQueryLength: number;
}

export interface RouteContext {
  store: SearchStore;
  limits: ServeLimits;
  /**
   * Runs a request's store work within the request's time limit (query-timeout.ts), on the store
   * it is given: the queries of a request answered 504 are abandoned.
   */
  run<T>(request: FastifyRequest, what: string, work: (store: SearchStore) => Promise<T>): Promise<T>;
  /** The normalization dictionary's names, when one is loaded: preferred names and name/synonym autocomplete. */
  names?: DictionaryNames;
}

/** Entity types as the models name them (Chemical, Disease, CellLine). */
export const TYPE_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,39}$';
/** Relation labels (CID, CPR:4, association). */
export const RELATION_TYPE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9:_.-]{0,39}$';

export const entityTypeParam = { type: 'string', pattern: TYPE_PATTERN, description: 'entity type, e.g. Chemical' } as const;

export const dateParam = {
  type: 'string',
  pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$',
  'x-calendar-date': true,
  description: 'YYYY, YYYY-MM or YYYY-MM-DD (inclusive)',
} as const;

export function limitParam(max: number, fallback: number) {
  return { type: 'integer', minimum: 1, maximum: max, default: Math.min(fallback, max) } as const;
}

export const offsetParam = { type: 'integer', minimum: 0, maximum: 10_000, default: 0 } as const;

type Property = { readonly type: string; readonly [keyword: string]: unknown };

/**
 * A route's query-string (or path) schema, closed to unknown parameters, with the keywords of
 * query-keywords.ts on every parameter of a kind that needs them: integers must be finite (so that
 * their bounds hold) and no text may hold a NUL.
 */
export function parameters<P extends Record<string, Property>>(properties: P, required: (keyof P & string)[] = []) {
  const guarded = Object.fromEntries(
    Object.entries(properties).map(([name, p]) => [
      name,
      p.type === 'integer' || p.type === 'number' ? { ...p, 'x-finite': true } : p.type === 'string' ? { ...p, 'x-no-nul': true } : p,
    ]),
  ) as P;
  return { type: 'object', additionalProperties: false, required, properties: guarded } as const;
}

/** Error responses every route may give, in the OpenAPI document. */
export const errorResponses = {
  400: { $ref: 'litmine-error#' },
  401: { $ref: 'litmine-error#' },
  429: { $ref: 'litmine-error#' },
  503: { $ref: 'litmine-error#' },
  504: { $ref: 'litmine-error#' },
} as const;

/** A documented 200 response whose object is passed through as the route returns it. */
export function okResponse(description: string, properties: Record<string, unknown>) {
  return { description, type: 'object', properties, additionalProperties: true } as const;
}
