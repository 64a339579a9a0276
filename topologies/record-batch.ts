/**
 * The one handler shape every topology is written with, in the Benthos manner: a batch of records
 * goes through steps; a record a step fails on is marked with its coded error and leaves the flow
 * while the rest go on; `route` turns the marked ones into dead letters beside the outputs.
 * Retriable errors are never marked: they propagate, so the log retries the whole batch by the flag
 * alone (src/log/retry-batch.ts). Per-stage counters are kept in src/observability/metrics.ts.
 *
 *   const decoded = RecordBatch.of('annotate', messages).map(decodeArticle, 'LITMINE_RECORD_INVALID');
 *   const annotated = await decoded.mapAll((articles) => annotateArticles(articles, annotator), 'LITMINE_ANNOTATE');
 *   return annotated.route({ outputs: annotated.values.flatMap(toMessages), deadLetters: { topic, describe } });
 */
import { asLitmineError, type ErrorCode, isRetriable, LitmineError } from '../src/errors.js';
import type { LogMessage, OutMessage } from '../src/log/log.js';
import { logger } from '../src/observability/logger.js';
import { stageMetrics } from '../src/observability/metrics.js';
import type { DeadLetter } from '../src/records/types.js';
import { deadLetterMessage } from '../src/stages/dead-letter.js';

type Entry<S, T> = { source: S; ok: true; value: T } | { source: S; ok: false; error: LitmineError };

/** What a dead letter says about the record it stands for. */
export interface DeadLetterOrigin {
  source: DeadLetter['source'];
  key: string | null;
  value: Buffer | string | null;
  /** Prefixed to the error's message unless the message already names the record. */
  label?: string;
}

export interface RouteOptions<S> {
  /** Messages to produce for the records that flowed. */
  outputs?: OutMessage[];
  /** Records written elsewhere (store writes), counted as the stage's output when given. */
  written?: number;
  deadLetters: { topic: string; describe: (source: S) => DeadLetterOrigin };
}

export class RecordBatch<S, T> {
  private constructor(
    readonly stage: string,
    private readonly entries: readonly Entry<S, T>[],
  ) {}

  /** Starts a flow over a batch as it came in (counts it as the stage's input). */
  static of<S>(stage: string, sources: readonly S[]): RecordBatch<S, S> {
    stageMetrics.recordsIn.inc({ stage }, sources.length);
    stageMetrics.batchSize.observe({ stage }, sources.length);
    return new RecordBatch(
      stage,
      sources.map((source) => ({ source, ok: true as const, value: source })),
    );
  }

  /** A per-record step. A thrown error marks that record (coded `code` unless it has a code); `null` drops it. */
  map<U>(step: (value: T, source: S) => U | null, code: ErrorCode = 'LITMINE_INTERNAL'): RecordBatch<S, U> {
    const next: Entry<S, U>[] = [];
    for (const entry of this.entries) {
      if (!entry.ok) {
        next.push(entry);
        continue;
      }
      try {
        const value = step(entry.value, entry.source);
        if (value !== null) next.push({ source: entry.source, ok: true, value });
      } catch (err) {
        next.push({ source: entry.source, ok: false, error: mark(err, code) });
      }
    }
    return new RecordBatch(this.stage, next);
  }

  /**
   * A step over all flowing records at once (one model pass, one store call), one result per value
   * in order. If it fails for a non-retriable reason, each record is run alone so only the poison
   * one is marked; `beforeEach` runs before every lone attempt (a heartbeat).
   */
  async mapAll<U>(
    step: (values: T[]) => Promise<U[]>,
    code: ErrorCode = 'LITMINE_INTERNAL',
    beforeEach?: () => Promise<void>,
  ): Promise<RecordBatch<S, U>> {
    const flowing = this.flowing();
    if (flowing.length === 0) return new RecordBatch(this.stage, this.marked());
    let results: U[] | undefined;
    try {
      results = await step(flowing.map((e) => e.value));
    } catch (err) {
      if (isRetriable(err)) throw err;
      if (flowing.length === 1) return this.replace(new Map([[flowing[0]!, { ok: false, error: mark(err, code) }]]));
    }
    const byEntry = new Map<Entry<S, T>, { ok: true; value: U } | { ok: false; error: LitmineError }>();
    if (results) {
      if (results.length !== flowing.length)
        throw new Error(`${this.stage}: step returned ${results.length} results for ${flowing.length} records`);
      flowing.forEach((e, i) => byEntry.set(e, { ok: true, value: results[i]! }));
      return this.replace(byEntry);
    }
    for (const entry of flowing) {
      await beforeEach?.();
      try {
        const [value] = await step([entry.value]);
        byEntry.set(entry, { ok: true, value: value! });
      } catch (err) {
        if (isRetriable(err)) throw err;
        byEntry.set(entry, { ok: false, error: mark(err, code) });
      }
    }
    return this.replace(byEntry);
  }

  /** A step over all flowing records that may refuse some of them: it returns the error per refused index. */
  async settle(step: (values: T[]) => Promise<ReadonlyMap<number, LitmineError>>): Promise<RecordBatch<S, T>> {
    const flowing = this.flowing();
    if (flowing.length === 0) return this;
    const refused = await step(flowing.map((e) => e.value));
    const byEntry = new Map<Entry<S, T>, { ok: true; value: T } | { ok: false; error: LitmineError }>();
    flowing.forEach((e, i) => {
      const error = refused.get(i);
      byEntry.set(e, error ? { ok: false, error } : { ok: true, value: e.value });
    });
    return this.replace(byEntry);
  }

  /** The values still flowing, in batch order. */
  get values(): T[] {
    return this.flowing().map((e) => e.value);
  }

  /** The flowing records with their sources. */
  get succeeded(): { source: S; value: T }[] {
    return this.flowing().map(({ source, value }) => ({ source, value }));
  }

  /** The marked records with their errors. */
  get failed(): { source: S; error: LitmineError }[] {
    return this.marked().map(({ source, error }) => ({ source, error }));
  }

  /** Outputs followed by one dead letter per marked record; counts the stage's output and dead letters. */
  route(options: RouteOptions<S>): OutMessage[] {
    const outputs = options.outputs ?? [];
    const { topic, describe } = options.deadLetters;
    const dead = this.failed.map(({ source, error }) => {
      const origin = describe(source);
      stageMetrics.deadLetters.inc({ stage: this.stage, code: error.code });
      const named = origin.label === undefined || error.message.includes(origin.label);
      const message = named ? error : relabel(error, `${origin.label}: ${error.message}`);
      logger.warn({ event: 'dead-letter', stage: this.stage, code: error.code, key: origin.key, message: message.message });
      return deadLetterMessage(topic, this.stage, message, origin.source, origin.key, origin.value);
    });
    const written = options.written ?? outputs.length;
    stageMetrics.recordsOut.inc({ stage: this.stage }, written);
    logger.debug({ event: 'batch', stage: this.stage, out: written, deadLetters: dead.length });
    return [...outputs, ...dead];
  }

  private flowing(): Extract<Entry<S, T>, { ok: true }>[] {
    return this.entries.filter((e): e is Extract<Entry<S, T>, { ok: true }> => e.ok);
  }

  private marked(): Extract<Entry<S, T>, { ok: false }>[] {
    return this.entries.filter((e): e is Extract<Entry<S, T>, { ok: false }> => !e.ok);
  }

  private replace<U>(byEntry: Map<Entry<S, T>, { ok: true; value: U } | { ok: false; error: LitmineError }>): RecordBatch<S, U> {
    return new RecordBatch(
      this.stage,
      this.entries.map((e): Entry<S, U> => {
        if (!e.ok) return e;
        const r = byEntry.get(e)!;
        return r.ok ? { source: e.source, ok: true, value: r.value } : { source: e.source, ok: false, error: r.error };
      }),
    );
  }
}

/** The dead-letter origin of a record read from the log: where it was, its key and its bytes. */
export function logMessageOrigin(message: LogMessage): DeadLetterOrigin {
  return {
    source: { topic: message.topic, partition: message.partition, offset: message.offset },
    key: message.key,
    value: message.value,
    label: messageLabel(message),
  };
}

/** How errors name a record read from the log: `record pmid:1 (litmine.articles/0@12)`. */
export function messageLabel(message: LogMessage): string {
  return `record ${message.key} (${message.topic}/${message.partition}@${message.offset})`;
}

/** A retriable error is not the record's fault: rethrow it so the log retries the batch. */
function mark(err: unknown, code: ErrorCode): LitmineError {
  if (isRetriable(err)) throw err;
  return asLitmineError(err, code);
}

function relabel(error: LitmineError, message: string): LitmineError {
  return new LitmineError(error.code, message, { cause: error, retriable: error.retriable });
}
