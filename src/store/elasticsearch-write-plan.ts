/**
 * The Elasticsearch store's write planner, a pure function: a batch of store ops and the state
 * records of their documents in, the documents to write (articles, entity updates, deletes,
 * annotation documents with their sections, state records) and the annotations to clean up out.
 * Version, delete and merge decisions come from version-rules.ts; elasticsearch-store.ts does the I/O.
 */
import type { Article } from '../records/types.js';
import {
  EMPTY_ENTITIES,
  type Json,
  type PendingDoc,
  type StateDoc,
  annotationDocs,
  annotationTag,
  articleDoc,
  entitiesOf,
  entityFields,
  opDocumentId,
  toDocState,
  withSections,
} from './elasticsearch-documents.js';
import { passageSections } from './elasticsearch-sections.js';
import type { StoreOp } from './store.js';
import { decideAnnotation, decideArticle, decideDelete } from './version-rules.js';

export interface WritePlan {
  /** State records after the batch, by document id (copies: the input map is not changed). */
  states: Map<string, StateDoc>;
  articles: Map<string, { body: Json; article: Article }>;
  entityUpdates: Map<string, StateDoc['entities']>;
  deletes: Map<string, StoreOp>;
  annotations: Map<string, PendingDoc[]>;
  /** Documents whose stored annotation documents all go, and those keeping only one annotation tag. */
  cleanupAll: Set<string>;
  cleanupExceptTag: Map<string, string>;
  /** The last op written per document (its state record is reported against it). */
  touched: Map<string, StoreOp>;
  written: StoreOp[];
  ignored: number;
}

/** Documents whose stored article must be read before planning: a stored full text an abstract-only record merges into. */
export function fullTextsNeeded(ops: StoreOp[], states: Map<string, StateDoc>): string[] {
  const ids = new Set<string>();
  for (const op of ops) {
    if (op.op === 'upsertArticle' && !op.article.fullText && states.get(op.article.id)?.article?.fullText) ids.add(op.article.id);
  }
  return [...ids];
}

/** Decides every op of a batch in order, against the states as the earlier ops of the batch left them. */
export function planWrites(ops: StoreOp[], stored: Map<string, StateDoc>, storedFullTexts: Map<string, Article> = new Map()): WritePlan {
  const plan: WritePlan = {
    states: new Map([...stored].map(([id, s]) => [id, structuredClone(s)])),
    articles: new Map(),
    entityUpdates: new Map(),
    deletes: new Map(),
    annotations: new Map(),
    cleanupAll: new Set(),
    cleanupExceptTag: new Map(),
    touched: new Map(),
    written: [],
    ignored: 0,
  };
  const dropAnnotations = (docId: string, state: StateDoc) => {
    plan.cleanupAll.add(docId);
    plan.cleanupExceptTag.delete(docId);
    plan.annotations.delete(docId);
    state.annotationVersion = null;
    state.annotationTag = null;
    state.entities = { ...EMPTY_ENTITIES };
  };

  for (const op of ops) {
    const docId = opDocumentId(op);
    const state = plan.states.get(docId);
    if (!state) throw new Error(`planWrites: no state for ${docId}`);
    if (op.op === 'upsertArticle') {
      let merged: Article | null = plan.articles.get(docId)?.article ?? null;
      if (!merged && state.article?.fullText && !op.article.fullText) merged = storedFullTexts.get(docId) ?? null;
      const decision = decideArticle(toDocState(state), op.article, merged);
      if (decision.kind === 'ignore') {
        plan.ignored++;
        continue;
      }
      const article = decision.article;
      if (decision.clearsDelete) state.deleted = null;
      const v = state.annotationVersion;
      if (
        v !== null &&
        ((decision.dropAnnotations === 'older' && v < article.version) || (decision.dropAnnotations === 'other' && v !== article.version))
      ) {
        dropAnnotations(docId, state);
      }
      state.article = { version: article.version, fullText: article.fullText, source: article.source };
      plan.deletes.delete(docId);
      plan.entityUpdates.delete(docId);
      plan.articles.set(docId, { article, body: articleDoc(article, state.entities) });
    } else if (op.op === 'upsertAnnotation') {
      const annotation = op.annotation;
      const decision = decideAnnotation(toDocState(state), annotation);
      if (decision.kind === 'ignore') {
        plan.ignored++;
        continue;
      }
      const docs = annotationDocs(annotation, op);
      const tag = annotationTag(annotation);
      if (state.annotationTag !== null && state.annotationTag !== tag && !plan.cleanupAll.has(docId)) plan.cleanupExceptTag.set(docId, tag);
      plan.annotations.set(docId, docs);
      state.annotationVersion = annotation.documentVersion;
      state.annotationTag = tag;
      state.entities = entitiesOf(annotation);
      const pending = plan.articles.get(docId);
      if (pending) pending.body = { ...pending.body, ...entityFields(state.entities) };
      else if (state.article) plan.entityUpdates.set(docId, state.entities);
    } else {
      const decision = decideDelete(toDocState(state), op.version);
      if (decision.kind === 'ignore') {
        plan.ignored++;
        continue;
      }
      state.deleted = decision.deleted;
      state.article = null;
      plan.articles.delete(docId);
      plan.entityUpdates.delete(docId);
      plan.deletes.set(docId, op);
      dropAnnotations(docId, state);
    }
    plan.touched.set(docId, op);
    plan.written.push(op);
  }
  return plan;
}

/** Annotated documents whose sections must come from the stored article (none written in this batch). */
export function sectionsNeeded(plan: WritePlan): string[] {
  return [...plan.annotations.keys()].filter((id) => !plan.articles.has(id) && plan.states.get(id)?.article);
}

/**
 * The documents to bulk-write, in order, and the articles whose stored sentences need their
 * sections (an article arriving after its annotation). Sentences carry their passage's section:
 * from the article written in this batch, else from `storedSections`.
 */
export function planDocs(
  plan: WritePlan,
  storedSections: Map<string, Map<string, string>>,
): { docs: PendingDoc[]; lateSections: Map<string, Map<string, string>> } {
  for (const [docId, list] of plan.annotations) {
    const pending = plan.articles.get(docId);
    const sections = pending ? passageSections(pending.article) : storedSections.get(docId);
    if (sections?.size) withSections(list, sections);
  }
  const lateSections = new Map<string, Map<string, string>>();
  for (const [docId, { article }] of plan.articles) {
    const sections = passageSections(article);
    if (sections.size && !plan.annotations.has(docId) && plan.states.get(docId)!.annotationVersion !== null)
      lateSections.set(docId, sections);
  }
  const docs: PendingDoc[] = [];
  const opOf = (id: string) => plan.touched.get(id)!;
  for (const [id, { body }] of plan.articles) docs.push({ kind: 'articles', id, body, op: opOf(id) });
  for (const [id, entities] of plan.entityUpdates) docs.push({ kind: 'articles', id, update: entityFields(entities), op: opOf(id) });
  for (const [id, op] of plan.deletes) docs.push({ kind: 'articles', id, delete: true, op });
  for (const list of plan.annotations.values()) docs.push(...list);
  for (const [id, op] of plan.touched) docs.push({ kind: 'state', id, body: plan.states.get(id) as unknown as Json, op });
  return { docs, lateSections };
}
