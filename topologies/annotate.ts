/**
 * The annotate topology: articles topic → annotate stage → annotations, entities and relations
 * topics, in one consume-transform-produce step per batch (a Kafka transaction, or one SQLite
 * transaction), so a worker killed mid-batch leaves no duplicates. A record that cannot be decoded
 * or annotated goes to the dead-letter topic; the rest of its batch goes on (topologies/record-batch.ts).
 *
 *   await runAnnotate({ log, annotator, topics, untilIdle: true });
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { OutMessage, ProcessResult } from '../src/log/log.js';
import type { Annotator } from '../src/nlp/annotator.js';
import { meteredAnnotator } from '../src/observability/metered-annotator.js';
import { timeBatch } from '../src/observability/metrics.js';
import { recordMessage, tombstoneMessage } from '../src/records/encode.js';
import { annotationOutputs } from '../src/stages/annotation-outputs.js';
import { LitmineError } from '../src/errors.js';
import { type AnnotatedInput, decodeAndAnnotate } from './article-steps.js';
import { logMessageOrigin } from './record-batch.js';
import type { ConsumingStageOptions } from './stage-options.js';
import { MAX_RECORD_BYTES } from './topics.js';

export const ANNOTATE_GROUP = 'litmine-annotate';
const STAGE = 'annotate';

/**
 * An annotate batch is one transaction and one model pass over all its sentences: up to 64 articles
 * (about 640 sentences of abstracts, enough for full, length-sorted model batches), cut at 512 KiB of
 * article JSON so that full texts (50–100 KB each) stay a few thousand sentences per batch and
 * progress shows and a crash redoes little.
 */
export const ANNOTATE_BATCH = { maxMessages: 64, maxBytes: 512 * 1024 } as const;

export interface AnnotateTopologyOptions extends ConsumingStageOptions {
  annotator: Annotator;
  onBatch?: (stats: { articles: number; mentions: number; relations: number; deadLetters: number }) => void;
}

export async function runAnnotate(options: AnnotateTopologyOptions): Promise<ProcessResult> {
  const { log, topics } = options;
  const annotator = meteredAnnotator(options.annotator, STAGE);
  return log.process({
    group: ANNOTATE_GROUP,
    topics: [topics.articles],
    untilIdle: options.untilIdle,
    signal: options.signal,
    maxBatchSize: options.maxBatchSize ?? ANNOTATE_BATCH.maxMessages,
    maxBatchBytes: ANNOTATE_BATCH.maxBytes,
    transactional: true,
    workerId: options.workerId,
    onRetry: options.onRetry,
    handler: (batch, context) =>
      timeBatch(STAGE, async () => {
        const { annotated, articles } = await decodeAndAnnotate(STAGE, batch, annotator, context);
        const stats = { articles, mentions: 0, relations: 0, deadLetters: 0 };
        const messages = annotated.map((item) => outputsOf(item, topics, stats), 'LITMINE_RECORD_TOO_LARGE');
        stats.deadLetters = messages.failed.length;
        const out = messages.route({
          outputs: messages.values.flat(),
          deadLetters: { topic: topics.deadLetters, describe: logMessageOrigin },
        });
        options.onBatch?.(stats);
        return out;
      }),
  });
}

function outputsOf(item: AnnotatedInput, topics: LitmineConfig['topics'], stats: { mentions: number; relations: number }): OutMessage[] {
  // A delete: compacted annotations drop the document too.
  if (item.kind === 'delete') return [tombstoneMessage(topics.annotations, item.documentId, 'litmine.annotation')];
  const { annotation } = item;
  const annotationMessage = recordMessage(topics.annotations, annotation.documentId, annotation);
  const bytes = annotationMessage.value?.length ?? 0;
  // Produced, it would fail the batch's transaction and every retry of it.
  if (bytes > MAX_RECORD_BYTES)
    throw new LitmineError('LITMINE_RECORD_TOO_LARGE', `annotation of ${bytes} bytes, over the limit of ${MAX_RECORD_BYTES}`);
  const fan = annotationOutputs(annotation);
  stats.mentions += fan.entities.length;
  stats.relations += fan.relations.length;
  return [
    annotationMessage,
    ...fan.entities.map((e) => ({ ...recordMessage(topics.entities, e.mentionId, e), partitionKey: e.key })),
    ...fan.relations.map((r) => ({ ...recordMessage(topics.relations, r.relationId, r), partitionKey: r.key })),
  ];
}
