/**
 * The reprocess topology: rolls out a new model by replaying the whole articles topic (compacted:
 * the latest version of every document, deletes as tombstones) through the annotate stage into a
 * target store — a fresh index set (SearchStore.createIndexSet) that the caller swaps to when
 * complete, so the live set serves until then. Its consumer group is per target, so a killed
 * reprocess resumes where it stopped. An article that cannot be decoded, annotated or stored goes to
 * the dead-letter topic and the replay goes on (topologies/record-batch.ts).
 *
 *   await runReprocess({ log, annotator, target, topics, group: 'litmine-reprocess-v2' });
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { Log, LogMessage, ProcessResult } from '../src/log/log.js';
import type { Annotator } from '../src/nlp/annotator.js';
import { meteredAnnotator } from '../src/observability/metered-annotator.js';
import { timeBatch } from '../src/observability/metrics.js';
import type { SearchStore, StoreOp } from '../src/store/store.js';
import { ANNOTATE_BATCH } from './annotate.js';
import { type AnnotatedInput, decodeAndAnnotate, decodeArticleMessage } from './article-steps.js';
import { logMessageOrigin } from './record-batch.js';
import { applyPerRecord } from './store-writes.js';

const STAGE = 'reprocess';

export interface ReprocessOptions {
  log: Log;
  annotator: Annotator;
  target: SearchStore;
  topics: LitmineConfig['topics'];
  group: string;
  signal?: AbortSignal;
  onBatch?: (articles: number) => void;
}

export async function runReprocess(options: ReprocessOptions): Promise<ProcessResult> {
  const { log, target, topics } = options;
  const annotator = meteredAnnotator(options.annotator, STAGE);
  return log.process({
    group: options.group,
    topics: [topics.articles],
    fromBeginning: true,
    untilIdle: true,
    signal: options.signal,
    maxBatchSize: ANNOTATE_BATCH.maxMessages,
    maxBatchBytes: ANNOTATE_BATCH.maxBytes,
    handler: (batch, context) =>
      timeBatch(STAGE, async () => {
        const { annotated, articles } = await decodeAndAnnotate(STAGE, batch, annotator, context);
        const written = await annotated.settle((items) => applyPerRecord(target, STAGE, items.map(storeOps)));
        // As in the daily pipeline, an article the models failed on stays searchable (its dead letter
        // says why it has no annotations); a refusal of that write is already covered by the dead letter.
        const bare = annotated.failed.flatMap(({ source }) => bareArticle(source));
        if (bare.length > 0) await target.apply(bare);
        const out = written.route({
          written: written.values.length,
          deadLetters: { topic: topics.deadLetters, describe: logMessageOrigin },
        });
        options.onBatch?.(articles);
        return out;
      }),
  });
}

function bareArticle(message: LogMessage): StoreOp[] {
  try {
    const input = decodeArticleMessage(message);
    return input?.kind === 'article' ? [{ op: 'upsertArticle', article: input.article }] : [];
  } catch {
    return [];
  }
}

function storeOps(item: AnnotatedInput): StoreOp[] {
  if (item.kind === 'delete') return [{ op: 'deleteArticle', documentId: item.documentId }];
  return [
    { op: 'upsertArticle', article: item.article },
    { op: 'upsertAnnotation', annotation: item.annotation },
  ];
}
