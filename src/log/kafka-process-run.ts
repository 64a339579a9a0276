/**
 * The parts of one `KafkaLog.process` call: its stop/fail state, the positions it has reached per
 * assigned partition, and the handling of one fetched kafkajs batch (split into chunks of
 * maxBatchSize, each handled, committed and retried as one unit).
 */
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { batchLength } from './batch-cut.js';
import { BatchRevoked, isRebalanceError, wrapKafka } from './kafka-errors.js';
import type { BatchCommitter } from './kafka-batch-commit.js';
import { toLogMessage } from './kafka-messages.js';
import type { BatchContext, ProcessOptions, ProcessResult } from './log.js';
import { RetryAborted, retryBatch } from './retry-batch.js';

export interface Assignment {
  topic: string;
  partition: number;
}

export const partitionId = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** When a run ends: aborted from outside, caught up (untilIdle), or failed (the first error wins). */
export class ProcessRun {
  private readonly stopper = new AbortController();
  readonly signal = this.stopper.signal;
  readonly finished: Promise<void>;
  fatal: unknown;
  private finishNow!: () => void;
  private readonly outer?: AbortSignal;
  private readonly onOuterAbort = () => this.stop();

  constructor(outer?: AbortSignal) {
    this.finished = new Promise<void>((resolve) => (this.finishNow = resolve));
    this.signal.addEventListener('abort', () => this.finishNow(), { once: true });
    this.outer = outer;
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    if (outer?.aborted) this.stop();
  }

  finish(): void {
    this.finishNow();
  }

  fail(err: unknown): void {
    this.fatal ??= err;
    this.finishNow();
  }

  get failed(): boolean {
    return this.fatal !== undefined;
  }

  stop(): void {
    this.stopper.abort();
  }

  /** Detaches from the outer signal and stops whatever still listens to this run's signal. */
  release(): void {
    this.outer?.removeEventListener('abort', this.onOuterAbort);
    this.stop();
  }
}

/** The member's assignment and, per partition, the next offset this run has handled everything before. */
export interface PositionTracker {
  assignment(): Assignment[] | null;
  positions: Map<string, bigint>;
}

export function trackPositions(consumer: Consumer, run: ProcessRun): PositionTracker {
  let assignment: Assignment[] | null = null;
  const positions = new Map<string, bigint>();
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assignment = Object.entries(e.payload.memberAssignment).flatMap(([topic, parts]) =>
      (parts as number[]).map((partition) => ({ topic, partition })),
    );
    positions.clear();
  });
  // Batches of only control records or aborted messages never reach eachBatch; they still move us.
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    if (e.payload.batchSize === 0) {
      const key = partitionId(e.payload.topic, e.payload.partition);
      const next = BigInt(e.payload.lastOffset) + 1n;
      if ((positions.get(key) ?? -1n) < next) positions.set(key, next);
    }
  });
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) run.fail(wrapKafka(e.payload.error, 'consumer crashed'));
  });
  return { assignment: () => assignment, positions };
}

export interface BatchDeps {
  options: ProcessOptions;
  run: ProcessRun;
  committer: BatchCommitter;
  tracker: PositionTracker;
  result: ProcessResult;
}

/** eachBatch: the fetched batch in chunks; a chunk that fails or is revoked ends this batch unresolved. */
export async function consumeBatch(payload: EachBatchPayload, deps: BatchDeps): Promise<void> {
  const { batch, isRunning, isStale } = payload;
  const limits = { maxMessages: deps.options.maxBatchSize ?? 100, maxBytes: deps.options.maxBatchBytes };
  const messages = batch.messages;
  for (let i = 0; i < messages.length; ) {
    if (deps.run.failed || deps.run.signal.aborted || !isRunning() || isStale()) return;
    const length = batchLength(
      messages.slice(i, i + limits.maxMessages).map((m) => m.value?.length ?? 0),
      limits,
    );
    const chunk = messages.slice(i, i + length);
    i += length;
    // The last chunk commits past trailing control records too (batch.lastOffset includes them), or
    // a transactional input would always show a lag of one.
    const isLastChunk = i >= messages.length;
    const last = chunk[chunk.length - 1]!.offset;
    const next = (BigInt(isLastChunk ? batch.lastOffset() : last) + 1n).toString();
    const produced = await handleChunk(payload, chunk, next, deps);
    if (produced === undefined) return; // unresolved: nothing of this chunk counts as consumed
    payload.resolveOffset(last);
    deps.tracker.positions.set(partitionId(batch.topic, batch.partition), BigInt(next));
    deps.result.batches++;
    deps.result.messages += chunk.length;
    deps.result.produced += produced;
    await payload.heartbeat();
  }
}

/** Runs the handler on one chunk and commits it, with retries; undefined when it must not count. */
async function handleChunk(
  { batch, heartbeat }: EachBatchPayload,
  chunk: EachBatchPayload['batch']['messages'],
  next: string,
  { options, run, committer }: BatchDeps,
): Promise<number | undefined> {
  const logMessages = chunk.map((m) => toLogMessage(batch.topic, batch.partition, m));
  // A heartbeat that learns of a rebalance marks the batch revoked instead of throwing into the
  // handler: the seam then drops the batch uncommitted, and kafkajs rejoins.
  let revoked = false;
  const batchStop = new AbortController();
  const onStop = () => batchStop.abort();
  run.signal.addEventListener('abort', onStop, { once: true });
  if (run.signal.aborted) batchStop.abort();
  const context: BatchContext = {
    heartbeat: async () => {
      try {
        await heartbeat();
      } catch (err) {
        if (!isRebalanceError(err)) throw wrapKafka(err, 'heartbeat');
        revoked = true;
        batchStop.abort();
      }
    },
    signal: batchStop.signal,
  };
  try {
    return await retryBatch(
      async () => {
        const outs = await options.handler(logMessages, context);
        // Committing a revoked batch would race the member that now owns the partition.
        if (revoked) throw new BatchRevoked(undefined);
        await committer.commit(batch.topic, batch.partition, next, outs);
        return outs.length;
      },
      { signal: run.signal, retry: options.retry, onRetry: options.onRetry },
    );
  } catch (err) {
    // Revoked: the group moved on without us; kafkajs rejoins and the batch is read again from the
    // committed offset, by us or by the partition's new owner.
    if (!revoked && !(err instanceof RetryAborted) && !(err instanceof BatchRevoked)) run.fail(err);
    return undefined;
  } finally {
    run.signal.removeEventListener('abort', onStop);
  }
}
