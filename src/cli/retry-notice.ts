/**
 * Makes waiting visible: every retriable failure a worker or run rides out (log or store down,
 * broker restarting) prints one line with the error, the attempt, the backoff and since when, and
 * the first success after an outage prints how long it lasted. The same shows in the metrics
 * (`litmine_retries_total`, `litmine_waiting_seconds`) that `worker --metrics-port` serves.
 *
 *   const notice = retryNotice(io, 'worker w1 index');  runIndex({ …, onRetry: notice.onRetry });
 */
import { asLitmineError } from '../errors.js';
import { stageMetrics } from '../observability/metrics.js';
import type { CliIO } from './command.js';

export interface RetryNotice {
  onRetry(err: unknown, attempt: number, delayMs: number): void;
  /** Call after a success: ends an outage (prints its length once). */
  recovered(): void;
}

export function retryNotice(io: Pick<CliIO, 'err'>, label: string, now: () => number = Date.now): RetryNotice {
  let since: number | null = null;
  return {
    onRetry(err, attempt, delayMs) {
      since ??= now();
      const { code, message } = asLitmineError(err);
      const waited = ((now() - since) / 1000).toFixed(0);
      stageMetrics.retries.inc({ component: label, code });
      stageMetrics.waitingSeconds.set({ component: label }, (now() - since) / 1000);
      io.err(`${label}: ${code}: ${message} — retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s (waiting ${waited} s)`);
    },
    recovered() {
      if (since === null) return;
      stageMetrics.waitingSeconds.set({ component: label }, 0);
      io.err(`${label}: recovered after ${((now() - since) / 1000).toFixed(1)} s`);
      since = null;
    },
  };
}
