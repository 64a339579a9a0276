/**
 * The index topology: articles and annotations topics → search store. Articles are upserted (a
 * tombstone deletes the document with its sentences, mentions and relations), annotations add
 * sentences, mentions and relations. Writes are idempotent by deterministic id, so offsets are
 * committed after the store write (at-least-once delivery, exactly-once effect). Records that do
 * not decode, and documents the store refuses for good, go to the dead-letter topic with the reason
 * (topologies/record-batch.ts).
 *
 *   await runIndex({ log, store, topics, untilIdle: true });
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { LogMessage, ProcessResult } from '../src/log/log.js';
import { timeBatch } from '../src/observability/metrics.js';
import type { SearchStore, StoreOp } from '../src/store/store.js';
import { decodeAnnotationMessage, decodeArticleMessage } from './article-steps.js';
import { logMessageOrigin, RecordBatch } from './record-batch.js';
import type { ConsumingStageOptions } from './stage-options.js';
import { applyPerRecord } from './store-writes.js';

export const INDEX_GROUP = 'litmine-index';
const STAGE = 'index';

export interface IndexTopologyOptions extends ConsumingStageOptions {
  store: SearchStore;
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
    handler: (batch) =>
      timeBatch(STAGE, async () => {
        const ops = RecordBatch.of(STAGE, batch).map((m) => toStoreOp(m, topics), 'LITMINE_RECORD_INVALID');
        const counted = ops.values;
        const written = await ops.settle((values) =>
          applyPerRecord(
            store,
            STAGE,
            values.map((op) => [op]),
          ),
        );
        const out = written.route({
          written: written.values.length,
          deadLetters: { topic: topics.deadLetters, describe: logMessageOrigin },
        });
        options.onBatch?.({
          upserts: counted.filter((op) => op.op === 'upsertArticle').length,
          deletes: counted.filter((op) => op.op === 'deleteArticle').length,
          annotations: counted.filter((op) => op.op === 'upsertAnnotation').length,
          deadLetters: out.length,
        });
        return out;
      }),
  });
}

function toStoreOp(message: LogMessage, topics: LitmineConfig['topics']): StoreOp | null {
  if (message.topic === topics.articles) {
    const input = decodeArticleMessage(message);
    if (input === null) return null;
    return input.kind === 'delete'
      ? { op: 'deleteArticle', documentId: input.documentId }
      : { op: 'upsertArticle', article: input.article };
  }
  const annotation = decodeAnnotationMessage(message);
  return annotation === null ? null : { op: 'upsertAnnotation', annotation };
}
