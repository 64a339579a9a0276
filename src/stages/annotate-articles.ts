/**
 * The annotate stage: articles in, Annotation records out. Each passage is segmented into sentences,
 * all sentences of the batch go through the Annotator together (the model batches across records),
 * then, when the annotator has a normalizer, each document's mentions get abbreviations resolved and
 * identifiers (src/norm/), and results become mentions and relations with deterministic ids.
 *
 *   const annotations = await annotateArticles(articles, annotator);  // one per article, same order
 */
import { annotationId, entityKey, mentionId, modelVersionHash, relationId, sentenceId } from '../records/ids.js';
import { SCHEMA_VERSION, type Annotation, type Article, type Mention, type Relation, type Sentence } from '../records/types.js';
import type { Annotator, SentenceAnnotation } from '../nlp/annotator.js';
import type { NormOutput } from '../norm/normalizer.js';
import { segmentSentences } from '../text/segment-sentences.js';

export interface AnnotateOptions {
  now?: () => Date;
}

interface RawMention extends NormOutput {
  sentence: number;
  score: number;
}

export async function annotateArticles(articles: Article[], annotator: Annotator, options: AnnotateOptions = {}): Promise<Annotation[]> {
  const now = options.now ?? (() => new Date());
  const normalizer = annotator.normalizer;
  const models: Annotation['models'] = normalizer ? { ...annotator.models, norm: normalizer.ref } : annotator.models;
  const modelVersion = modelVersionHash([models.ner, ...(models.re ? [models.re] : []), ...(models.norm ? [models.norm] : [])]);

  const perArticle = articles.map((article) => ({
    article,
    annId: annotationId(article.id, article.version),
    sentences: splitArticle(article),
  }));
  const flat = perArticle.flatMap((a) => a.sentences.map((s) => ({ text: s.text })));
  const results = flat.length > 0 ? await annotator.annotate(flat) : [];
  if (results.length !== flat.length) throw new Error(`annotator returned ${results.length} results for ${flat.length} sentences`);

  let cursor = 0;
  return perArticle.map(({ article, annId, sentences }) => {
    const own = results.slice(cursor, cursor + sentences.length);
    cursor += sentences.length;
    const outSentences: Sentence[] = sentences.map((s) => ({
      id: sentenceId(annId, s.passageId, s.start),
      passageId: s.passageId,
      start: s.start,
      end: s.end,
      text: s.text,
    }));
    const raw = rawMentions(sentences, own);
    const normalized = normalizer ? withSentences(normalizer.normalize(article.passages, raw), raw, sentences) : raw;
    const mentions: Mention[] = normalized.map((m) => {
      const ids = m.ids.length > 0 ? m.ids : undefined;
      return {
        id: mentionId(annId, m.passageId, m.start, m.end, m.type, modelVersion),
        sentenceId: outSentences[m.sentence]!.id,
        passageId: m.passageId,
        start: m.start,
        end: m.end,
        text: m.text,
        type: m.type,
        score: round(m.score),
        key: ids ? `${m.type}:${ids[0]!.id}` : entityKey(m.type, m.text),
        ...(ids ? { ids } : {}),
      };
    });
    const relations: Relation[] = [];
    // Mentions of sentence i start at first[i] in `raw` order, which normalization keeps.
    const first: number[] = [];
    let n = 0;
    for (const r of own) {
      first.push(n);
      n += r.mentions.length;
    }
    own.forEach((result, i) => {
      for (const r of result.relations) {
        const subject = mentions[first[i]! + r.subject];
        const object = mentions[first[i]! + r.object];
        if (!subject || !object || subject.id === object.id) continue;
        relations.push({
          id: relationId(subject.id, object.id, r.type, modelVersion),
          type: r.type,
          subjectId: subject.id,
          objectId: object.id,
          sentenceId: outSentences[i]!.id,
          score: round(r.score),
        });
      }
    });
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

function rawMentions(sentences: PassageSentence[], results: SentenceAnnotation[]): RawMention[] {
  const out: RawMention[] = [];
  results.forEach((r, i) => {
    const s = sentences[i]!;
    for (const m of r.mentions)
      out.push({
        sentence: i,
        passageId: s.passageId,
        start: s.start + m.start,
        end: s.start + m.end,
        text: s.text.slice(m.start, m.end),
        type: m.type,
        score: m.score,
        ids: [],
      });
  });
  return out;
}

/** Normalized mentions keep their order; added abbreviations get their sentence and the long form's score. */
function withSentences(normalized: NormOutput[], raw: RawMention[], sentences: PassageSentence[]): RawMention[] {
  return normalized
    .map((m, i) => {
      const before = raw[i];
      if (before && !m.added) return { ...before, type: m.type, ids: m.ids };
      const sentence = sentences.findIndex((s) => s.passageId === m.passageId && s.start <= m.start && m.end <= s.end);
      // An added short form is as certain as NER was of its long form.
      const score = m.longForm !== undefined ? (raw[m.longForm]?.score ?? 0) : 0;
      return { ...m, sentence, score };
    })
    .filter((m) => m.sentence >= 0);
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
