/**
 * An annotated article in the interchange formats: passages laid end to end with one character
 * between them (title at 0, the next passage at title length + 1, …, PubTator's title + " " +
 * abstract convention), mentions as annotations with their type, best identifier, preferred name and
 * score, relations as subject/object node pairs. Both BioC (JSON, XML) and PubTator are written from it.
 *
 *   const doc = biocDocument(article, annotation);  const pt = pubtatorDocument(article, annotation);
 */
import type { Article, EntityId, Mention, Relation } from '../records/types.js';
import type { BioCDocument } from './bioc.js';
import type { PubtatorDoc } from './pubtator.js';

/** What the writers read of an annotation: a full record from the log, or one rebuilt from a store. */
export interface AnnotatedParts {
  modelVersion?: string;
  mentions: (Pick<Mention, 'id' | 'passageId' | 'start' | 'end' | 'text' | 'type' | 'score'> & { ids?: Pick<EntityId, 'id' | 'name'>[] })[];
  relations: Pick<Relation, 'type' | 'score' | 'subjectId' | 'objectId'>[];
}

function passageOffsets(article: Article): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const p of article.passages) {
    offsets.push(at);
    at += p.text.length + 1;
  }
  return offsets;
}

export function biocDocument(article: Article, annotation: AnnotatedParts | undefined): BioCDocument {
  const offsets = passageOffsets(article);
  const index = new Map(article.passages.map((p, i) => [p.id, i]));
  const mentions = annotation?.mentions ?? [];
  const refs = new Map(mentions.map((m, i) => [m.id, String(i + 1)]));
  return {
    id: article.pmid ?? article.pmcid ?? article.id,
    infons: { 'litmine-id': article.id, ...(annotation?.modelVersion ? { 'litmine-model-version': annotation.modelVersion } : {}) },
    passages: article.passages.map((p, i) => ({
      offset: offsets[i]!,
      infons: { type: p.kind, 'litmine-passage': p.id, ...(p.section ? { section: p.section } : {}) },
      text: p.text,
      sentences: [],
      annotations: mentions
        .map((m, k) => ({ m, k }))
        .filter(({ m }) => m.passageId === p.id)
        .map(({ m, k }) => ({
          id: String(k + 1),
          infons: {
            type: m.type,
            ...(m.ids?.[0] ? { identifier: m.ids[0].id, name: m.ids[0].name } : {}),
            score: String(m.score),
          },
          text: m.text,
          locations: [{ offset: offsets[index.get(m.passageId) ?? 0]! + m.start, length: m.end - m.start }],
        })),
      relations: [],
    })),
    annotations: [],
    relations: (annotation?.relations ?? []).map((r, k) => ({
      id: `R${k + 1}`,
      infons: { type: r.type, score: String(r.score) },
      nodes: [
        { refid: refs.get(r.subjectId) ?? '', role: 'subject' },
        { refid: refs.get(r.objectId) ?? '', role: 'object' },
      ],
    })),
  };
}

export function pubtatorDocument(article: Article, annotation: AnnotatedParts | undefined): PubtatorDoc {
  const offsets = passageOffsets(article);
  const index = new Map(article.passages.map((p, i) => [p.id, i]));
  const [first, ...rest] = article.passages;
  const byId = new Map((annotation?.mentions ?? []).map((m) => [m.id, m]));
  return {
    pmid: article.pmid ?? article.id,
    title: first?.text ?? '',
    abstract: rest.map((p) => p.text).join(' '),
    annotations: (annotation?.mentions ?? []).map((m) => {
      const start = offsets[index.get(m.passageId) ?? 0]! + m.start;
      return { start, end: start + (m.end - m.start), text: m.text, type: m.type, ids: m.ids?.[0] ? [m.ids[0].id] : [] };
    }),
    relations: (annotation?.relations ?? []).flatMap((r) => {
      const s = byId.get(r.subjectId);
      const o = byId.get(r.objectId);
      const sid = s?.ids?.[0]?.id;
      const oid = o?.ids?.[0]?.id;
      return sid && oid ? [{ type: r.type, ids: [sid, oid] }] : [];
    }),
  };
}
