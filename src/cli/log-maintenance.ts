/**
 * Log cleaning as the CLI runs it: once after every pipeline run (`litmine run`, each scheduled day)
 * and periodically inside `litmine worker`. Only the embedded log has work to do here; Kafka's
 * brokers clean their topics themselves (`Log.compact` is a no-op there).
 */
import type { Log } from '../log/log.js';

/** How often a long-running worker cleans the embedded log it shares with the other workers. */
export const WORKER_COMPACT_INTERVAL_MS = 3_600_000;

/**
 * Compacts and expires the log's topics and says what it did (embedded log only). A failure is
 * reported, not thrown: cleaning is housekeeping, the next run or round tries again, and it must not
 * fail the run or stop the worker whose work is already committed.
 */
export async function compactLog(log: Log, say: (line: string) => void): Promise<void> {
  if (log.kind !== 'embedded') return;
  try {
    const { removed, reclaimedBytes } = await log.compact();
    say(`litmine: log cleaned: ${removed} superseded or expired records removed, ${(reclaimedBytes / 1e6).toFixed(1)} MB given back`);
  } catch (err) {
    say(`litmine: log cleaning failed (tried again on the next run): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Runs `compactLog` every `intervalMs` until `signal` aborts. */
export function compactPeriodically(
  log: Log,
  say: (line: string) => void,
  signal: AbortSignal,
  intervalMs = WORKER_COMPACT_INTERVAL_MS,
): void {
  if (log.kind !== 'embedded') return;
  const timer = setInterval(() => void compactLog(log, say), intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
