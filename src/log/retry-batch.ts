/**
 * Runs one batch attempt again and again while it fails with a retriable error, backing off
 * exponentially; both log implementations wrap their handler-plus-commit step in it.
 *
 *   const out = await retryBatch(() => handleAndCommit(batch), { signal, retry: { initialMs: 50 } });
 */
import { isRetriable } from '../errors.js';
import type { RetryOptions } from './log.js';

export interface RetryBatchOptions {
  signal?: AbortSignal;
  retry?: RetryOptions;
  /** Told about every retriable failure before the wait (for logs and counters). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** The signal's abort cuts a backoff short; the caller then sees `aborted` and stops. */
export class RetryAborted extends Error {
  constructor(readonly lastError: unknown) {
    super('retry abandoned: aborted while waiting', { cause: lastError });
    this.name = 'RetryAborted';
  }
}

export async function retryBatch<T>(attempt: () => Promise<T>, options: RetryBatchOptions = {}): Promise<T> {
  const initialMs = options.retry?.initialMs ?? 200;
  const maxMs = options.retry?.maxMs ?? 30_000;
  const maxAttempts = options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      // Retries are decided by the flag alone (DESIGN.md, Conventions).
      if (!isRetriable(err) || n >= maxAttempts) throw err;
      if (options.signal?.aborted) throw new RetryAborted(err);
      // Full jitter on the upper half keeps two workers that failed together from retrying together.
      const ceiling = Math.min(maxMs, initialMs * 2 ** (n - 1));
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      options.onRetry?.(err, n, delay);
      await sleep(delay, options.signal);
      if (options.signal?.aborted) throw new RetryAborted(err);
    }
  }
}

/** Resolves after `ms`, or at once when the signal aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
