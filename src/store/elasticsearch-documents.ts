/**
 * The documents the Elasticsearch store writes: the per-document state record, an article document,
 * the sentence/mention/relation documents of an annotation (deterministic _ids), and the pending
 * write the planner hands to the bulk loop. Pure functions; used by elasticsearch-write-plan.ts.
 */
import type { Annotation, Article } from '../records/types.js';
import type { IndexKind } from './elasticsearch-mappings.js';
import type { StoreOp } from './store.js';
import { articleTexts, journalKeys, journalName, normKey, normText, publishedDate } from './store-fields.js';
import type { DocState } from './version-rules.js';

export type Json = Record<string, unknown>;

export const EMPTY_ENTITIES = { keys: [], types: [], texts: [] };

/** The state record of a document never seen before. */
export function emptyState(documentId: string): StateDoc {
  return { documentId, article: null, annotationVersion: null, annotationTag: null, deleted: null, entities: { ...EMPTY_ENTITIES } };
}

export interface StateDoc {
  documentId: string;
  article: { version: number; fullText: boolean; source: Article['source'] } | null;
  annotationVersion: number | null;
  annotationTag: string | null;
  deleted: { version: number | null } | null;
  entities: { keys: string[]; types: string[]; texts: string[] };
}

export interface PendingDoc {
  kind: IndexKind;
  id: string;
  /** Full document, partial update, or delete. */
  body?: Json;
  update?: Json;
  delete?: true;
  op: StoreOp;
}

export function articleDoc(article: Article, entities: StateDoc['entities']): Json {
  const texts = articleTexts(article);
  return {
    documentId: article.id,
    version: article.version,
    source: article.source,
    fullText: article.fullText,
    pmid: article.pmid,
    pmcid: article.pmcid,
    doi: article.doi,
    title: texts.title,
    abstract: texts.abstract,
    body: texts.body,
    journal: journalName(article),
    journalKeys: journalKeys(article),
    published: article.dates?.published,
    publishedDate: publishedDate(article.dates ?? {}),
    mesh: (article.mesh ?? []).map((m) => m.name),
    chemicals: (article.chemicals ?? []).map((c) => c.name),
    keywords: article.keywords,
    publicationTypes: article.publicationTypes,
    license: article.license,
    ...entityFields(entities),
    article,
  };
}

export function entityFields(e: StateDoc['entities']): Json {
  return { entityKeys: e.keys, entityTypes: e.types, entityTexts: e.texts };
}

export function entitiesOf(annotation: Annotation): StateDoc['entities'] {
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    keys: uniq(annotation.mentions.map((m) => normKey(m.key))),
    types: uniq(annotation.mentions.map((m) => m.type)),
    texts: uniq(annotation.mentions.map((m) => normText(m.text))),
  };
}

export function withSections(docs: PendingDoc[], sections: Map<string, string>): void {
  for (const d of docs) {
    if (d.kind !== 'sentences' || !d.body) continue;
    const section = sections.get((d.body as { passageId: string }).passageId);
    if (section) d.body = { ...(d.body as object), section } as Json;
  }
}

export /** Identifies one annotation's documents, so a replacement can delete the others by query. */
function annotationTag(annotation: Annotation): string {
  return `${annotation.documentId}@${annotation.documentVersion}/${annotation.modelVersion}`;
}

export function annotationDocs(annotation: Annotation, op: StoreOp): PendingDoc[] {
  const doc = annotation.documentId;
  const version = annotation.documentVersion;
  const tag = annotationTag(annotation);
  const common = { documentId: doc, version, modelVersion: annotation.modelVersion, annotationTag: tag };
  const mentions = new Map(annotation.mentions.map((m) => [m.id, m]));
  const bySentence = new Map<string, Annotation['mentions']>();
  for (const m of annotation.mentions) bySentence.set(m.sentenceId, [...(bySentence.get(m.sentenceId) ?? []), m]);
  const sentences = new Map(annotation.sentences.map((s) => [s.id, s]));
  const out: PendingDoc[] = [];
  for (const s of sentences.values()) {
    const ms = bySentence.get(s.id) ?? [];
    out.push({
      kind: 'sentences',
      id: s.id,
      op,
      body: {
        ...common,
        sentenceId: s.id,
        passageId: s.passageId,
        start: s.start,
        end: s.end,
        text: s.text,
        mentionKeys: [...new Set(ms.map((m) => normKey(m.key)))],
        mentionTypes: [...new Set(ms.map((m) => m.type))],
        mentionTexts: [...new Set(ms.map((m) => normText(m.text)))],
      },
    });
  }
  for (const m of mentions.values()) {
    out.push({
      kind: 'mentions',
      id: m.id,
      op,
      body: {
        ...common,
        mentionId: m.id,
        sentenceId: m.sentenceId,
        passageId: m.passageId,
        type: m.type,
        key: normKey(m.key),
        text: m.text,
        textNorm: normText(m.text),
        start: m.start,
        end: m.end,
        score: m.score,
      },
    });
  }
  for (const r of annotation.relations) {
    const s = mentions.get(r.subjectId)!;
    const o = mentions.get(r.objectId)!;
    const sk = normKey(s.key);
    const ok = normKey(o.key);
    out.push({
      kind: 'relations',
      id: r.id,
      op,
      body: {
        ...common,
        relationId: r.id,
        type: r.type,
        sentenceId: r.sentenceId,
        sentence: sentences.get(r.sentenceId)?.text ?? '',
        subjectId: s.id,
        subjectKey: sk,
        subjectType: s.type,
        subjectText: s.text,
        subjectNorm: normText(s.text),
        objectId: o.id,
        objectKey: ok,
        objectType: o.type,
        objectText: o.text,
        objectNorm: normText(o.text),
        groupKey: `${sk}|${r.type}|${ok}`,
        score: r.score,
      },
    });
  }
  return out;
}

export function opDocumentId(op: StoreOp): string {
  return op.op === 'upsertArticle' ? op.article.id : op.op === 'upsertAnnotation' ? op.annotation.documentId : op.documentId;
}

export function toDocState(s: StateDoc): DocState {
  return { article: s.article, annotationVersion: s.annotationVersion, deleted: s.deleted };
}
