/**
 * The one HTTP client every connector uses: a pooled undici Agent with timeouts, an optional shared
 * RateLimiter that every attempt passes through, and retries with exponential backoff and jitter on
 * 429, 5xx, network errors and truncated bodies, honouring Retry-After. Permanent failures throw
 * LITMINE_HTTP_FAILED; exhausted retries throw LITMINE_HTTP_TRANSIENT (retriable by the caller).
 *
 * Why not undici's RetryAgent / retry interceptor: it covers status and network retries with
 * Retry-After, but not what NCBI also needs — a 200 whose body is E-utilities'
 * `{"error":"API rate limit exceeded"}` (the `check` hook), a body cut off where efetch's generated
 * answers offer no Range/206 to resume from (it then fails), a download whose checksum is wrong, and
 * POST (efetch with an id list), which it leaves alone by default. Those need a loop above the
 * dispatcher anyway; adding undici's below it would stack two retry layers (attempts and backoffs
 * multiplied, and every attempt must still pass the shared RateLimiter), so this one loop stays.
 *
 *   const res = await http.get('https://…/esearch.fcgi?db=pubmed&term=…', { signal });  // res.body: Buffer
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { LitmineError, isRetriable } from '../../src/errors.js';
import type { RateLimiter } from './rate-limiter.js';

export interface HttpClientOptions {
  dispatcher?: Dispatcher;
  limiter?: RateLimiter;
  /** Attempts after the first (default 5). */
  retries?: number;
  /** First backoff delay; doubles each attempt, with ±50% jitter (default 500 ms). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A Retry-After longer than this fails the attempt loop instead of sleeping (default 120 s). */
  maxRetryAfterMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  userAgent?: string;
  random?: () => number;
  /** Called before each retry (logging, metrics). */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; error: LitmineError }) => void;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface GetOptions {
  signal?: AbortSignal;
  method?: 'GET' | 'POST';
  /** application/x-www-form-urlencoded body for POST. */
  form?: URLSearchParams;
  /** Inspects a 2xx body; throw a retriable LitmineError to retry (rate-limit payloads, truncation). */
  check?: (res: HttpResponse) => void;
}

let defaultAgent: Agent | undefined;

/** The process-wide pooled Agent (keep-alive, bounded connections, connect timeout). */
export function sharedAgent(): Agent {
  defaultAgent ??= new Agent({ connections: 8, keepAliveTimeout: 10_000, connect: { timeout: 15_000 } });
  return defaultAgent;
}

export class HttpClient {
  private readonly opts: Required<Omit<HttpClientOptions, 'limiter' | 'onRetry' | 'dispatcher'>> &
    Pick<HttpClientOptions, 'limiter' | 'onRetry' | 'dispatcher'>;

  constructor(options: HttpClientOptions = {}) {
    this.opts = {
      retries: 5,
      backoffMs: 500,
      maxBackoffMs: 30_000,
      maxRetryAfterMs: 120_000,
      headersTimeoutMs: 60_000,
      bodyTimeoutMs: 120_000,
      userAgent: 'litmine (+https://github.com/litmine)',
      random: Math.random,
      ...options,
    };
  }

  async get(url: string, options: GetOptions = {}): Promise<HttpResponse> {
    return this.withRetries(url, options.signal, async () => {
      const res = await this.once(url, options);
      options.check?.(res);
      return res;
    });
  }

  /**
   * Streams a (large) body to `dest`, hashing it on the way (md5 is what NCBI publishes); a cut-off
   * transfer is retried from the start. `verify` may throw a retriable error (a checksum mismatch).
   */
  async download(
    url: string,
    dest: string,
    options: { signal?: AbortSignal; verify?: (md5: string, bytes: number) => void } = {},
  ): Promise<{ md5: string; bytes: number }> {
    return this.withRetries(url, options.signal, async () => {
      const release = this.opts.limiter ? await this.opts.limiter.acquire(options.signal) : () => {};
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          dispatcher: this.opts.dispatcher ?? sharedAgent(),
          signal: options.signal,
          headersTimeout: this.opts.headersTimeoutMs,
          bodyTimeout: this.opts.bodyTimeoutMs,
          headers: { 'user-agent': this.opts.userAgent },
        });
      } finally {
        release();
      }
      if (res.statusCode < 200 || res.statusCode >= 300) {
        const body = Buffer.from(await res.body.arrayBuffer());
        statusError(url, res.statusCode, res.headers, body);
      }
      const hash = createHash('md5');
      let bytes = 0;
      try {
        await pipeline(
          res.body,
          async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              hash.update(chunk);
              bytes += chunk.length;
              yield chunk;
            }
          },
          createWriteStream(dest),
        );
      } catch (err) {
        if ((err as NodeJS.ErrnoException).syscall) throw err; // the disk, not the network
        throw new LitmineError('LITMINE_HTTP_TRANSIENT', `${redact(url)}: download cut off after ${bytes} bytes`, { cause: err });
      }
      const length = Number(res.headers['content-length']);
      if (Number.isFinite(length) && length !== bytes) {
        throw new LitmineError('LITMINE_HTTP_TRANSIENT', `${redact(url)}: downloaded ${bytes} of ${length} bytes`);
      }
      const md5 = hash.digest('hex');
      options.verify?.(md5, bytes);
      return { md5, bytes };
    });
  }

  private async withRetries<T>(url: string, signal: AbortSignal | undefined, attemptOnce: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        return await attemptOnce();
      } catch (err) {
        if (signal?.aborted) throw signal.reason ?? err;
        const error = err instanceof LitmineError ? err : classifyNetworkError(err, url);
        if (!isRetriable(error) || attempt >= this.opts.retries) throw error;
        retryAfterMs = (error as LitmineError & { retryAfterMs?: number }).retryAfterMs;
        if (retryAfterMs !== undefined && retryAfterMs > this.opts.maxRetryAfterMs) throw error;
        const backoff = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** attempt);
        const jittered = backoff * (0.5 + this.opts.random());
        const delayMs = retryAfterMs !== undefined ? retryAfterMs + jittered * 0.1 : jittered;
        this.opts.onRetry?.({ url, attempt: attempt + 1, delayMs, error });
        await sleep(delayMs, signal);
      }
    }
  }

  private async once(url: string, options: GetOptions): Promise<HttpResponse> {
    const release = this.opts.limiter ? await this.opts.limiter.acquire(options.signal) : () => {};
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: options.method ?? 'GET',
        dispatcher: this.opts.dispatcher ?? sharedAgent(),
        signal: options.signal,
        headersTimeout: this.opts.headersTimeoutMs,
        bodyTimeout: this.opts.bodyTimeoutMs,
        headers: {
          'user-agent': this.opts.userAgent,
          ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: options.form?.toString(),
      });
    } finally {
      release();
    }
    const { statusCode: status, headers } = res;
    let body: Buffer;
    try {
      body = Buffer.from(await res.body.arrayBuffer());
    } catch (err) {
      throw new LitmineError('LITMINE_HTTP_TRANSIENT', `${redact(url)}: response body was cut off (${messageOf(err)})`, {
        cause: err,
      });
    }
    const length = Number(headers['content-length']);
    if (Number.isFinite(length) && length !== body.length) {
      throw new LitmineError('LITMINE_HTTP_TRANSIENT', `${redact(url)}: body has ${body.length} of ${length} bytes`);
    }
    const out: HttpResponse = { url, status, headers, body };
    if (status >= 200 && status < 300) return out;
    statusError(url, status, headers, body);
  }
}

/** Throws the error a non-2xx answer means: transient (429, 408, 5xx, with Retry-After) or permanent. */
function statusError(url: string, status: number, headers: HttpResponse['headers'], body: Buffer): never {
  const snippet = body.toString('utf8', 0, Math.min(body.length, 300)).replace(/\s+/g, ' ').trim();
  if (status === 429 || status >= 500 || status === 408) {
    const error = new LitmineError('LITMINE_HTTP_TRANSIENT', `${redact(url)}: HTTP ${status} ${snippet}`);
    const retryAfter = parseRetryAfter(headers['retry-after']);
    if (retryAfter !== undefined) Object.assign(error, { retryAfterMs: retryAfter });
    throw Object.assign(error, { status, body: snippet });
  }
  throw Object.assign(new LitmineError('LITMINE_HTTP_FAILED', `${redact(url)}: HTTP ${status} ${snippet}`), {
    status,
    body: snippet,
  });
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function classifyNetworkError(err: unknown, url: string): LitmineError {
  const code = (err as { code?: string } | null)?.code ?? '';
  // undici's codes (UND_ERR_*) and socket errors are all worth another try; anything else is a bug.
  if (/^UND_ERR|^E[A-Z]+$/.test(code) || err instanceof TypeError) {
    return new LitmineError('LITMINE_HTTP_TRANSIENT', `${redact(url)}: ${code || 'network error'} ${messageOf(err)}`, {
      cause: err,
    });
  }
  return new LitmineError('LITMINE_HTTP_FAILED', `${redact(url)}: ${messageOf(err)}`, { cause: err });
}

/** URLs appear in errors and logs: the API key never does. */
export function redact(url: string): string {
  return url.replace(/([?&]api_key=)[^&]*/g, '$1***');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
