/**
 * The annotate topology: articles topic → annotate stage → annotations, entities and relations
 * topics, in one consume-transform-produce step per batch (a Kafka transaction, or one SQLite
 * transaction), so a worker killed mid-batch leaves no duplicates. A record that cannot be decoded
 * or annotated goes to the dead-letter topic; the rest of its batch goes on.
 *
 *   await runAnnotate({ log, annotator, topics, untilIdle: true });
 */
import { LitmineError, asLitmineError, isRetriable } from '../src/errors.js';
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { Log, LogMessage, OutMessage, ProcessResult } from '../src/log/log.js';
import type { Annotator } from '../src/nlp/annotator.js';
import { decodeRecord, recordMessage, tombstoneMessage } from '../src/records/encode.js';
import { validateRecord } from '../src/records/schemas.js';
import type { Article } from '../src/records/types.js';
import { annotateArticles } from '../src/stages/annotate-articles.js';
import { annotationOutputs } from '../src/stages/annotation-outputs.js';
import { deadLetterMessage } from '../src/stages/dead-letter.js';
import { MAX_RECORD_BYTES } from './topics.js';
import { withHeartbeat } from './with-heartbeat.js';

export const ANNOTATE_GROUP = 'litmine-annotate';

export interface AnnotateTopologyOptions {
  log: Log;
  annotator: Annotator;
  topics: LitmineConfig['topics'];
  untilIdle?: boolean;
  signal?: AbortSignal;
  maxBatchSize?: number;
  workerId?: string;
  /** Told of every retriable failure (log or store unavailable) before its backoff. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  onBatch?: (stats: { articles: number; mentions: number; relations: number; deadLetters: number }) => void;
}

export async function runAnnotate(options: AnnotateTopologyOptions): Promise<ProcessResult> {
  const { log, annotator, topics } = options;
  return log.process({
    group: ANNOTATE_GROUP,
    topics: [topics.articles],
    untilIdle: options.untilIdle,
    signal: options.signal,
    // A batch is one transaction: small enough that progress shows and a crash redoes little
    // (sentences of all its articles still go through the model together).
    maxBatchSize: options.maxBatchSize ?? 16,
    transactional: true,
    workerId: options.workerId,
    onRetry: options.onRetry,
    handler: async (batch, context) => {
      const out: OutMessage[] = [];
      const articles: { article: Article; message: LogMessage }[] = [];
      for (const message of batch) {
        if (message.key === null) continue;
        if (message.value === null) {
          // A delete: compacted annotations drop the document too.
          out.push(tombstoneMessage(topics.annotations, message.key, 'litmine.annotation'));
          continue;
        }
        try {
          const article = decodeRecord<Article>(message.value, `${message.topic}/${message.partition}@${message.offset}`);
          validateRecord(article);
          articles.push({ article, message });
        } catch (err) {
          out.push(deadLetter(topics.deadLetters, err, message));
        }
      }
      // Model time can exceed the group's session timeout: keep the membership alive meanwhile.
      const annotated = await withHeartbeat(context, () => annotateIsolating(articles, annotator, context.heartbeat));
      let mentions = 0;
      let relations = 0;
      let deadLetters = out.filter((m) => m.topic === topics.deadLetters).length;
      for (const item of annotated) {
        if ('error' in item) {
          out.push(deadLetter(topics.deadLetters, item.error, item.message));
          deadLetters++;
          continue;
        }
        const { annotation } = item;
        const annotationMessage = recordMessage(topics.annotations, annotation.documentId, annotation);
        const bytes = annotationMessage.value?.length ?? 0;
        if (bytes > MAX_RECORD_BYTES) {
          // Produced, it would fail the batch's transaction and every retry of it.
          const tooLarge = new LitmineError(
            'LITMINE_RECORD_TOO_LARGE',
            `annotation of ${bytes} bytes, over the limit of ${MAX_RECORD_BYTES}`,
          );
          out.push(deadLetter(topics.deadLetters, tooLarge, item.message));
          deadLetters++;
          continue;
        }
        out.push(annotationMessage);
        const fan = annotationOutputs(annotation);
        for (const e of fan.entities) out.push(recordMessage(topics.entities, e.key, e));
        for (const r of fan.relations) out.push(recordMessage(topics.relations, r.key, r));
        mentions += fan.entities.length;
        relations += fan.relations.length;
      }
      options.onBatch?.({ articles: articles.length, mentions, relations, deadLetters });
      return out;
    },
  });
}

type Annotated =
  | { annotation: Awaited<ReturnType<typeof annotateArticles>>[number]; message: LogMessage }
  | { error: unknown; message: LogMessage };

/**
 * Annotates the batch in one model pass; if that fails for a non-transient reason, retries each
 * article alone so one poison record is dead-lettered instead of stopping the stream.
 */
async function annotateIsolating(
  items: { article: Article; message: LogMessage }[],
  annotator: Annotator,
  heartbeat: () => Promise<void>,
): Promise<Annotated[]> {
  if (items.length === 0) return [];
  try {
    const annotations = await annotateArticles(
      items.map((i) => i.article),
      annotator,
    );
    return annotations.map((annotation, i) => ({ annotation, message: items[i]!.message }));
  } catch (err) {
    if (isRetriable(err) || items.length === 1) {
      if (isRetriable(err)) throw err;
      return [{ error: err, message: items[0]!.message }];
    }
  }
  const out: Annotated[] = [];
  for (const item of items) {
    await heartbeat();
    try {
      const [annotation] = await annotateArticles([item.article], annotator);
      out.push({ annotation: annotation!, message: item.message });
    } catch (err) {
      if (isRetriable(err)) throw err;
      out.push({ error: err, message: item.message });
    }
  }
  return out;
}

function deadLetter(topic: string, err: unknown, message: LogMessage): OutMessage {
  const base = asLitmineError(err, 'LITMINE_ANNOTATE');
  const wrapped = new LitmineError(
    base.code,
    `record ${message.key} (${message.topic}/${message.partition}@${message.offset}): ${base.message}`,
    { cause: err },
  );
  return deadLetterMessage(
    topic,
    'annotate',
    wrapped,
    { topic: message.topic, partition: message.partition, offset: message.offset },
    message.key,
    message.value,
  );
}
