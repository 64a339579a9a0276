/**
 * The one HTTP client every connector uses: a pooled undici Agent with timeouts, an optional shared
 * RateLimiter that every attempt passes through, and retries with exponential backoff and jitter on
 * 429, 5xx, network errors and truncated bodies, honouring Retry-After. Permanent failures throw
 * LITMINE_HTTP_FAILED; exhausted retries throw LITMINE_HTTP_TRANSIENT (retriable by the caller).
 *
 *   const res = await http.get('https://…/esearch.fcgi?db=pubmed&term=…', { signal });  // res.body: Buffer
 */
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
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const res = await this.once(url, options);
        options.check?.(res);
        return res;
      } catch (err) {
        if (options.signal?.aborted) throw options.signal.reason ?? err;
        const error = err instanceof LitmineError ? err : classifyNetworkError(err, url);
        if (!isRetriable(error) || attempt >= this.opts.retries) throw error;
        retryAfterMs = (error as LitmineError & { retryAfterMs?: number }).retryAfterMs;
        if (retryAfterMs !== undefined && retryAfterMs > this.opts.maxRetryAfterMs) throw error;
        const backoff = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** attempt);
        const jittered = backoff * (0.5 + this.opts.random());
        const delayMs = retryAfterMs !== undefined ? retryAfterMs + jittered * 0.1 : jittered;
        this.opts.onRetry?.({ url, attempt: attempt + 1, delayMs, error });
        await sleep(delayMs, options.signal);
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
