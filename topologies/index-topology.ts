/**
 * The index topology: articles and annotations topics → search store. Articles are upserted (a
 * tombstone deletes the document with its sentences, mentions and relations), annotations add
 * sentences, mentions and relations. Writes are idempotent by deterministic id, so offsets are
 * committed after the store write (at-least-once delivery, exactly-once effect). Documents the
 * store refuses for good go to the dead-letter topic with the store's reason.
 *
 *   await runIndex({ log, store, topics, untilIdle: true });
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import { LitmineError } from '../src/errors.js';
import type { Log, LogMessage, OutMessage, ProcessResult } from '../src/log/log.js';
import { decodeRecord } from '../src/records/encode.js';
import { validateRecord } from '../src/records/schemas.js';
import type { Annotation, Article } from '../src/records/types.js';
import { deadLetterMessage } from '../src/stages/dead-letter.js';
import type { SearchStore, StoreOp } from '../src/store/store.js';

export const INDEX_GROUP = 'litmine-index';

export interface IndexTopologyOptions {
  log: Log;
  store: SearchStore;
  topics: LitmineConfig['topics'];
  untilIdle?: boolean;
  signal?: AbortSignal;
  maxBatchSize?: number;
  workerId?: string;
  /** Told of every retriable failure (log or store unavailable) before its backoff. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  onBatch?: (stats: { upserts: number; deletes: number; annotations: number; deadLetters: number }) => void;
}

export async function runIndex(options: IndexTopologyOptions): Promise<ProcessResult> {
  const { log, store, topics } = options;
  return log.process({
    group: INDEX_GROUP,
    topics: [topics.articles, topics.annotations],
    untilIdle: options.untilIdle,
    signal: options.signal,
    maxBatchSize: options.maxBatchSize ?? 200,
    workerId: options.workerId,
    onRetry: options.onRetry,
    handler: async (batch) => {
      const out: OutMessage[] = [];
      const ops: { op: StoreOp; message: LogMessage }[] = [];
      for (const message of batch) {
        try {
          const op = toStoreOp(message, topics);
          if (op) ops.push({ op, message });
        } catch (err) {
          out.push(deadLetterMessage(topics.deadLetters, 'index', err, source(message), message.key, message.value));
        }
      }
      const result = await store.apply(ops.map((o) => o.op));
      for (const rejected of result.rejected) {
        const item = ops.find((o) => o.op === rejected.op);
        const message = item?.message;
        const err = new LitmineError('LITMINE_STORE_REJECTED', `record ${message?.key ?? '?'}: ${rejected.reason}`);
        out.push(
          deadLetterMessage(topics.deadLetters, 'index', err, message ? source(message) : {}, message?.key ?? null, message?.value ?? null),
        );
      }
      options.onBatch?.({
        upserts: ops.filter((o) => o.op.op === 'upsertArticle').length,
        deletes: ops.filter((o) => o.op.op === 'deleteArticle').length,
        annotations: ops.filter((o) => o.op.op === 'upsertAnnotation').length,
        deadLetters: out.length,
      });
      return out;
    },
  });
}

function toStoreOp(message: LogMessage, topics: LitmineConfig['topics']): StoreOp | null {
  if (message.key === null) return null;
  const where = `${message.topic}/${message.partition}@${message.offset} (key ${message.key})`;
  if (message.topic === topics.articles) {
    if (message.value === null) return { op: 'deleteArticle', documentId: message.key };
    const article = decodeRecord<Article>(message.value, where);
    validateRecord(article);
    return { op: 'upsertArticle', article };
  }
  if (message.value === null) return null; // annotation tombstones follow article deletes
  const annotation = decodeRecord<Annotation>(message.value, where);
  validateRecord(annotation);
  return { op: 'upsertAnnotation', annotation };
}

function source(message: LogMessage) {
  return { topic: message.topic, partition: message.partition, offset: message.offset };
}
