/**
 * Elasticsearch client setup for the search store: the store's options, the client options built
 * from them (auth, CA file, media types of the server's major version), and the helpers that keep
 * credentials out of messages. Used by elasticsearch-store.ts and its parts.
 */
import { readFileSync } from 'node:fs';
import { type Client, SniffingTransport } from '@elastic/elasticsearch';
import { LitmineError } from '../errors.js';
import { storeErrorCode } from './elasticsearch-errors.js';

type ClientOptions = ConstructorParameters<typeof Client>[0];

export interface ElasticsearchStoreOptions {
  node: string;
  apiKey?: string;
  username?: string;
  password?: string;
  /** PEM file of the CA that signed the server's certificate. */
  caFile?: string;
  /** Major version of the server (7, 8, 9): picks the `compatible-with` media types. Default 9. */
  serverMajor?: number;
  /** Prefix of index, alias and template names. Default 'litmine'. */
  indexPrefix?: string;
  /** Index set this store reads and writes directly (reprocessing); default: through the aliases. */
  indexSet?: string;
  /** Index set created behind the aliases when init() finds none. Default '1'. */
  initialIndexSet?: string;
  shards?: number;
  replicas?: number;
  refreshInterval?: string;
  bulk?: { flushBytes?: number; flushInterval?: number; concurrency?: number; retries?: number; wait?: number };
  requestTimeoutMs?: number;
  /** Query commands: init() only checks the aliases and never writes templates or indices. */
  readOnly?: boolean;
}

/**
 * Client options: auth from API key or user/password, a CA file for TLS, and the media types of
 * the server's major version — the 9.x client sends compatible-with=9, which 7.x/8.x servers refuse.
 * Credentials never appear in messages (errors are described by type and reason only).
 */
export function clientOptions(options: ElasticsearchStoreOptions): ClientOptions {
  const major = options.serverMajor ?? 9;
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : options.username
      ? { username: options.username, password: options.password ?? '' }
      : undefined;
  return {
    node: options.node,
    ...(auth ? { auth } : {}),
    ...(options.caFile ? { tls: { ca: readFileSync(options.caFile, 'utf8') } } : {}),
    Transport: compatibleTransport(major),
    maxRetries: 3,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    redaction: { type: 'replace' },
  };
}

/** A transport whose vendored media types name the server's major version (bulk: +x-ndjson). */
function compatibleTransport(major: number): typeof SniffingTransport {
  if (major === 9) return SniffingTransport;
  return class CompatibleTransport extends SniffingTransport {
    constructor(opts: ConstructorParameters<typeof SniffingTransport>[0]) {
      super({
        ...opts,
        vendoredHeaders: {
          jsonContentType: `application/vnd.elasticsearch+json; compatible-with=${major}`,
          ndjsonContentType: `application/vnd.elasticsearch+x-ndjson; compatible-with=${major}`,
          accept: `application/vnd.elasticsearch+json; compatible-with=${major},text/plain`,
        },
      });
    }
  };
}

export function sanitize(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  if (!s || s.startsWith('-') || s.startsWith('_'))
    throw new LitmineError('LITMINE_CONFIG', `not a usable index name part: ${JSON.stringify(name)}`);
  return s;
}

export /** host:port of the node, without any credentials a URL may carry. */
function nodeHost(node: string): string {
  try {
    return new URL(node).host;
  } catch {
    return 'node';
  }
}

export /** An error's type and reason, never its request (which may carry credentials in headers). */
function describe(err: unknown): string {
  const e = err as {
    name?: string;
    message?: string;
    meta?: { statusCode?: number; body?: { error?: { type?: string; reason?: string } } };
  };
  const body = e.meta?.body?.error;
  if (body?.type) return `${e.meta?.statusCode ?? ''} ${body.type}: ${body.reason ?? ''}`.trim();
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
}

/** Runs a request, turning failures into coded errors (retriable when the server is unreachable or overloaded). */
export async function callElasticsearch<T>(node: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LitmineError) throw err;
    throw new LitmineError(storeErrorCode(err), `elasticsearch ${nodeHost(node)}: ${what} failed: ${describe(err)}`, {
      cause: err,
    });
  }
}
