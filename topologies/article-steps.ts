/**
 * The record steps the annotate, index and reprocess topologies share: decoding and validating an
 * article or annotation read from the log (a tombstone is a delete), and annotating the articles of
 * a batch in one model pass. Each is a RecordBatch step (topologies/record-batch.ts).
 *
 *   const inputs = RecordBatch.of('annotate', batch).map(decodeArticleMessage, 'LITMINE_RECORD_INVALID');
 *   const annotated = await inputs.mapAll((xs) => annotateInputs(xs, annotator), 'LITMINE_ANNOTATE');
 */
import type { LogMessage } from '../src/log/log.js';
import type { Annotator } from '../src/nlp/annotator.js';
import { decodeRecord } from '../src/records/encode.js';
import { validateRecord } from '../src/records/schemas.js';
import type { Annotation, Article } from '../src/records/types.js';
import { annotateArticles } from '../src/stages/annotate-articles.js';
import { messageLabel } from './record-batch.js';

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
