/**
 * The annotate stage: articles in, Annotation records out. Each passage is segmented into sentences,
 * all sentences of the batch go through the Annotator together (the model batches across records),
 * and results become mentions and relations with deterministic ids and passage offsets.
 *
 *   const annotations = await annotateArticles(articles, annotator);  // one per article, same order
 */
import { annotationId, entityKey, mentionId, modelVersionHash, relationId, sentenceId } from '../records/ids.js';
import { SCHEMA_VERSION, type Annotation, type Article, type Mention, type Relation, type Sentence } from '../records/types.js';
import type { Annotator } from '../nlp/annotator.js';
import { segmentSentences } from '../text/segment-sentences.js';

export interface AnnotateOptions {
  now?: () => Date;
}

export async function annotateArticles(articles: Article[], annotator: Annotator, options: AnnotateOptions = {}): Promise<Annotation[]> {
  const now = options.now ?? (() => new Date());
  const models = annotator.models;
  const modelVersion = modelVersionHash(models.re ? [models.ner, models.re] : [models.ner]);

  const perArticle = articles.map((article) => ({
    article,
    annId: annotationId(article.id, article.version),
    sentences: splitArticle(article),
  }));
  const flat = perArticle.flatMap((a) => a.sentences.map((s) => ({ text: s.text })));
  const results = flat.length > 0 ? await annotator.annotate(flat) : [];

  let cursor = 0;
  return perArticle.map(({ article, annId, sentences }) => {
    const outSentences: Sentence[] = [];
    const mentions: Mention[] = [];
    const relations: Relation[] = [];
    for (const s of sentences) {
      const result = results[cursor++];
      if (!result) throw new Error(`annotator returned ${results.length} results for ${flat.length} sentences`);
      const sId = sentenceId(annId, s.passageId, s.start);
      outSentences.push({ id: sId, passageId: s.passageId, start: s.start, end: s.end, text: s.text });
      const ids: string[] = [];
      for (const m of result.mentions) {
        const start = s.start + m.start;
        const end = s.start + m.end;
        const text = s.text.slice(m.start, m.end);
        const id = mentionId(annId, s.passageId, start, end, m.type, modelVersion);
        ids.push(id);
        mentions.push({
          id,
          sentenceId: sId,
          passageId: s.passageId,
          start,
          end,
          text,
          type: m.type,
          score: round(m.score),
          key: entityKey(m.type, text),
        });
      }
      for (const r of result.relations) {
        const subjectId = ids[r.subject];
        const objectId = ids[r.object];
        if (!subjectId || !objectId || subjectId === objectId) continue;
        relations.push({
          id: relationId(subjectId, objectId, r.type, modelVersion),
          type: r.type,
          subjectId,
          objectId,
          sentenceId: sId,
          score: round(r.score),
        });
      }
    }
    return {
      schema: 'litmine.annotation',
      schemaVersion: SCHEMA_VERSION,
      id: annId,
      documentId: article.id,
      documentVersion: article.version,
      models,
      modelVersion,
      sentences: outSentences,
      mentions,
      relations,
      annotatedAt: now().toISOString(),
    } satisfies Annotation;
  });
}

interface PassageSentence {
  passageId: string;
  start: number;
  end: number;
  text: string;
}

function splitArticle(article: Article): PassageSentence[] {
  const out: PassageSentence[] = [];
  for (const passage of article.passages) {
    for (const span of segmentSentences(passage.text)) {
      out.push({ passageId: passage.id, start: span.start, end: span.end, text: passage.text.slice(span.start, span.end) });
    }
  }
  return out;
}

/** Scores are probabilities; six decimals keep records small and replays byte-identical. */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
