/**
 * The record steps the annotate, index and reprocess topologies share: decoding and validating an
 * article or annotation read from the log (a tombstone is a delete), and annotating the articles of
 * a batch in one model pass. Each is a RecordBatch step (topologies/record-batch.ts).
 *
 *   const inputs = RecordBatch.of('annotate', batch).map(decodeArticleMessage, 'LITMINE_RECORD_INVALID');
 *   const annotated = await inputs.mapAll((xs) => annotateInputs(xs, annotator), 'LITMINE_ANNOTATE');
 */
import type { BatchContext, LogMessage } from '../src/log/log.js';
import type { Annotator } from '../src/nlp/annotator.js';
import { decodeRecord } from '../src/records/encode.js';
import { validateRecord } from '../src/records/schemas.js';
import type { Annotation, Article } from '../src/records/types.js';
import { annotateArticles } from '../src/stages/annotate-articles.js';
import { messageLabel, RecordBatch } from './record-batch.js';
import { withHeartbeat } from './with-heartbeat.js';

export type ArticleInput = { kind: 'article'; article: Article } | { kind: 'delete'; documentId: string };
export type AnnotatedInput = { kind: 'annotated'; article: Article; annotation: Annotation } | { kind: 'delete'; documentId: string };

/** A keyless message carries nothing to do (null); a tombstone is a delete of its key. */
export function decodeArticleMessage(message: LogMessage): ArticleInput | null {
  if (message.key === null) return null;
  if (message.value === null) return { kind: 'delete', documentId: message.key };
  const article = decodeRecord<Article>(message.value, messageLabel(message));
  validateRecord(article);
  return { kind: 'article', article };
}

/** Annotation tombstones follow article deletes and carry nothing more (null). */
export function decodeAnnotationMessage(message: LogMessage): Annotation | null {
  if (message.key === null || message.value === null) return null;
  const annotation = decodeRecord<Annotation>(message.value, messageLabel(message));
  validateRecord(annotation);
  return annotation;
}

/** Annotates the articles among the inputs together (the model batches across records); deletes pass. */
export async function annotateInputs(inputs: ArticleInput[], annotator: Annotator): Promise<AnnotatedInput[]> {
  const articles = inputs.flatMap((i) => (i.kind === 'article' ? [i.article] : []));
  const annotations = await annotateArticles(articles, annotator);
  let next = 0;
  return inputs.map((i) => (i.kind === 'delete' ? i : { kind: 'annotated', article: i.article, annotation: annotations[next++]! }));
}

/**
 * The first two steps of the annotate and reprocess topologies: decode the batch's articles, then
 * annotate them in one model pass (poison ones isolated), heartbeating while the models run, since
 * model time can exceed the group's session timeout. `articles` counts the decoded articles.
 */
export async function decodeAndAnnotate(stage: string, batch: LogMessage[], annotator: Annotator, context: BatchContext) {
  const inputs = RecordBatch.of(stage, batch).map(decodeArticleMessage, 'LITMINE_RECORD_INVALID');
  const articles = inputs.values.filter((i) => i.kind === 'article').length;
  const annotated = await withHeartbeat(context, () =>
    inputs.mapAll((xs) => annotateInputs(xs, annotator), 'LITMINE_ANNOTATE', context.heartbeat),
  );
  return { annotated, articles };
}
