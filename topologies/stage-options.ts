/**
 * What every consuming stage (annotate, index) is run with: its log and topics, when to stop, how
 * large a batch, who it is, and whom to tell of a retry. Each stage adds its own engine and stats.
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { Log } from '../src/log/log.js';

export interface ConsumingStageOptions {
  log: Log;
  topics: LitmineConfig['topics'];
  /** Stop once the inputs are read to their end instead of following them. */
  untilIdle?: boolean;
  signal?: AbortSignal;
  maxBatchSize?: number;
  workerId?: string;
  /** Told of every retriable failure (log or store unavailable) before its backoff. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}
