/**
 * The reprocess topology: rolls out a new model by replaying the whole articles topic (compacted:
 * the latest version of every document, deletes as tombstones) through the annotate stage into a
 * target store — on Elasticsearch a fresh index set that the caller swaps behind the aliases when
 * complete, so the old set serves until then. Its consumer group is per target, so a killed
 * reprocess resumes where it stopped.
 *
 *   await runReprocess({ log, annotator, target, topics, group: 'litmine-reprocess-v2' });
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { Log, OutMessage, ProcessResult } from '../src/log/log.js';
import type { Annotator } from '../src/nlp/annotator.js';
import { decodeRecord } from '../src/records/encode.js';
import { validateRecord } from '../src/records/schemas.js';
import type { Article } from '../src/records/types.js';
import { annotateArticles } from '../src/stages/annotate-articles.js';
import { deadLetterMessage } from '../src/stages/dead-letter.js';
import type { SearchStore, StoreOp } from '../src/store/store.js';
import { withHeartbeat } from './with-heartbeat.js';

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
  const { log, annotator, target, topics } = options;
  return log.process({
    group: options.group,
    topics: [topics.articles],
    fromBeginning: true,
    untilIdle: true,
    signal: options.signal,
    maxBatchSize: 16,
    handler: async (batch, context) => {
      const out: OutMessage[] = [];
      const ops: StoreOp[] = [];
      const articles: Article[] = [];
      for (const m of batch) {
        if (m.key === null) continue;
        if (m.value === null) {
          ops.push({ op: 'deleteArticle', documentId: m.key });
          continue;
        }
        try {
          const article = decodeRecord<Article>(m.value, `${m.topic}/${m.partition}@${m.offset}`);
          validateRecord(article);
          articles.push(article);
        } catch (err) {
          out.push(
            deadLetterMessage(
              topics.deadLetters,
              'reprocess',
              err,
              { topic: m.topic, partition: m.partition, offset: m.offset },
              m.key,
              m.value,
            ),
          );
        }
      }
      const annotations = await withHeartbeat(context, () => annotateArticles(articles, annotator));
      articles.forEach((article, i) => ops.push({ op: 'upsertArticle', article }, { op: 'upsertAnnotation', annotation: annotations[i]! }));
      const result = await target.apply(ops);
      for (const r of result.rejected) {
        const key =
          r.op.op === 'deleteArticle' ? r.op.documentId : r.op.op === 'upsertArticle' ? r.op.article.id : r.op.annotation.documentId;
        out.push(deadLetterMessage(topics.deadLetters, 'reprocess', new Error(r.reason), {}, key, null));
      }
      options.onBatch?.(articles.length);
      return out;
    },
  });
}
