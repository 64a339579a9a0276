/**
 * Classifies what the Elasticsearch client threw: no answer at all (refused connection, timeout,
 * no living node, which the client reports with statusCode 0 or none) and 429/502/503/504 mean the
 * store is unavailable and worth waiting out; a request the server refuses (4xx, or a 500 whose
 * cause is the request itself, such as an unparseable date) is rejected and retrying cannot help.
 *
 *   storeErrorCode(new errors.ConnectionError('connect ECONNREFUSED')) → 'LITMINE_STORE_UNAVAILABLE'
 */

/** Transport errors raised before any HTTP answer arrived. */
const NO_ANSWER = new Set(['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError', 'RequestAbortedError']);

/** Error types that blame the request; Elasticsearch 7 answers some of them (dates) with a 500. */
const REQUEST_FAULTS =
  /parse_exception|illegal_argument_exception|query_shard_exception|number_format_exception|x_content_parse_exception|mapper_parsing_exception|too_many_clauses|query_parsing_exception/;

interface ClientError {
  name?: string;
  meta?: {
    statusCode?: number;
    body?: { error?: { type?: string; root_cause?: { type?: string }[]; caused_by?: { type?: string } } };
  };
}

export type StoreErrorCode = 'LITMINE_STORE_UNAVAILABLE' | 'LITMINE_STORE_REJECTED';

export function storeErrorCode(err: unknown): StoreErrorCode {
  const e = (err ?? {}) as ClientError;
  if (NO_ANSWER.has(e.name ?? '')) return 'LITMINE_STORE_UNAVAILABLE';
  const status = e.meta?.statusCode;
  if (status === undefined || status === 0) return 'LITMINE_STORE_UNAVAILABLE';
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'LITMINE_STORE_UNAVAILABLE';
  if (status >= 500) return blamesRequest(e) ? 'LITMINE_STORE_REJECTED' : 'LITMINE_STORE_UNAVAILABLE';
  return 'LITMINE_STORE_REJECTED';
}

function blamesRequest(e: ClientError): boolean {
  const body = e.meta?.body?.error;
  if (!body) return false;
  const types = [body.type, body.caused_by?.type, ...(body.root_cause ?? []).map((r) => r.type)];
  return types.some((t) => t !== undefined && REQUEST_FAULTS.test(t));
}
