/**
 * The error registry: every error litmine raises carries a stable code, a `retriable` flag and a
 * `cause`. Retry loops decide from the flag alone; dead letters record the code. The README's error
 * table mirrors ERROR_CODES (a test keeps them in step).
 *
 *   throw new LitmineError('LITMINE_PARSE_XML', `${file}: record 12 (PMID 345): unclosed tag at 10:4`);
 */
export const ERROR_CODES = {
  LITMINE_CONFIG: { retriable: false, summary: 'configuration is invalid (every problem listed with its path)' },
  LITMINE_USAGE: { retriable: false, summary: 'a command was called with bad arguments' },
  LITMINE_PARSE_XML: { retriable: false, summary: 'an XML file or record is malformed' },
  LITMINE_PARSE_UNSUPPORTED: { retriable: false, summary: 'an XML document is not PubMed or JATS' },
  LITMINE_PARSE_ENTITY: { retriable: false, summary: 'an XML input declares DTD entities (refused: no entity expansion)' },
  LITMINE_INPUT_GZIP: { retriable: false, summary: 'a gzipped input is truncated or corrupt' },
  LITMINE_INPUT_NOT_FOUND: { retriable: false, summary: 'an input file or directory does not exist' },
  LITMINE_RECORD_INVALID: { retriable: false, summary: 'a record does not match its JSON Schema' },
  LITMINE_RECORD_TOO_LARGE: {
    retriable: false,
    summary: 'a record is over the size limit (8 Mi characters of XML, or its topic message size); dead-lettered with an excerpt',
  },
  LITMINE_MODEL_LOAD: { retriable: false, summary: 'a model folder is missing files or has a bad manifest' },
  LITMINE_MODEL_REJECTED: { retriable: false, summary: 'a candidate model scored worse than the default and was not promoted' },
  LITMINE_MODEL_SHAPE: { retriable: false, summary: 'a model returned outputs of an unexpected shape' },
  LITMINE_ANNOTATE: { retriable: false, summary: 'a record could not be annotated' },
  LITMINE_LOG_UNAVAILABLE: { retriable: true, summary: 'the log (Kafka or the embedded log) is unavailable' },
  LITMINE_LOG_PROTOCOL: { retriable: false, summary: 'the log rejected a request' },
  LITMINE_STORE_UNAVAILABLE: { retriable: true, summary: 'the search store is unavailable or overloaded' },
  LITMINE_STORE_REJECTED: { retriable: false, summary: 'the search store permanently rejected a document' },
  LITMINE_INDEX_SET: {
    retriable: false,
    summary: 'an index set name is unusable or unknown, or the set is live and cannot be dropped (the message names it)',
  },
  LITMINE_DISK_FULL: {
    retriable: false,
    summary: 'the file system holding the embedded log or store is full (named with its free bytes); free space and rerun',
  },
  LITMINE_HTTP_TRANSIENT: { retriable: true, summary: 'a remote service answered 429/5xx or the network failed' },
  LITMINE_HTTP_FAILED: { retriable: false, summary: 'a remote service answered with a permanent error' },
  LITMINE_EUTILS_ERROR: { retriable: false, summary: 'NCBI E-utilities returned an error payload' },
  LITMINE_CHECKSUM: { retriable: true, summary: 'a downloaded file does not match its checksum' },
  LITMINE_LOCKED: { retriable: false, summary: 'another run holds the run lock' },
  LITMINE_INTERRUPTED: { retriable: true, summary: 'a run was stopped by a signal; the next run resumes from the saved cursors' },
  LITMINE_HTTP_BAD_REQUEST: { retriable: false, summary: 'an HTTP request to `litmine serve` is invalid (the reason names the parameter)' },
  LITMINE_UNAUTHORIZED: {
    retriable: false,
    summary: 'an HTTP request lacks the API key `litmine serve` was started with, or has a wrong one',
  },
  LITMINE_NOT_FOUND: { retriable: false, summary: 'no article, entity or route has the requested id or path' },
  LITMINE_RATE_LIMITED: { retriable: true, summary: 'a client sent more requests than the rate limit allows; retry after the given delay' },
  LITMINE_QUERY_TIMEOUT: { retriable: true, summary: 'a store query took longer than the time limit' },
  LITMINE_INTERNAL: { retriable: false, summary: 'an unexpected internal error' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class LitmineError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LitmineError';
    this.code = code;
    this.retriable = options.retriable ?? ERROR_CODES[code].retriable;
  }
}

/** Wraps anything thrown into a LitmineError, keeping an existing code. */
export function asLitmineError(err: unknown, fallback: ErrorCode = 'LITMINE_INTERNAL'): LitmineError {
  if (err instanceof LitmineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new LitmineError(fallback, message, { cause: err });
}

export function isRetriable(err: unknown): boolean {
  return err instanceof LitmineError && err.retriable;
}
