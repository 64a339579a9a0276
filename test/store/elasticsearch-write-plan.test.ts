/**
 * The Elasticsearch write planner without Elasticsearch: which documents a batch writes, which
 * stored annotation documents it cleans up, and which ops it ignores, from the state records alone.
 */
import test from 'ava';
import { emptyState } from '../../src/store/elasticsearch-documents.js';
import type { StateDoc } from '../../src/store/elasticsearch-documents.js';
import { fullTextsNeeded, planDocs, planWrites, sectionsNeeded } from '../../src/store/elasticsearch-write-plan.js';
import type { StoreOp } from '../../src/store/store.js';
import { DOC_A, DOC_C, annotation, article } from './store-fixtures.js';

const states = (...list: StateDoc[]) => new Map(list.map((s) => [s.documentId, s]));
const storedV1 = (): StateDoc => ({
  ...emptyState(DOC_A.id),
  article: { version: 1, fullText: false, source: 'pubmed' },
  annotationVersion: 1,
  annotationTag: `${DOC_A.id}@1/mv-old`,
});

test('a new article with its annotation: article, annotation documents with sections, one state record', (t) => {
  const a = annotation(DOC_C);
  const ops: StoreOp[] = [
    { op: 'upsertArticle', article: article(DOC_C) },
    { op: 'upsertAnnotation', annotation: a },
  ];
  const plan = planWrites(ops, states(emptyState(DOC_C.id)));
  t.is(plan.ignored, 0);
  t.deepEqual(plan.written, ops);
  t.is(plan.cleanupAll.size + plan.cleanupExceptTag.size, 0);
  t.deepEqual(sectionsNeeded(plan), []);
  const { docs, lateSections } = planDocs(plan, new Map());
  t.is(lateSections.size, 0);
  const kinds = docs.map((d) => d.kind);
  t.is(kinds.filter((k) => k === 'articles').length, 1);
  t.is(kinds.filter((k) => k === 'sentences').length, a.sentences.length);
  t.is(kinds.filter((k) => k === 'mentions').length, a.mentions.length);
  t.is(kinds.filter((k) => k === 'relations').length, a.relations.length);
  t.deepEqual(kinds.slice(-1), ['state']);
  // The article document carries the annotation's entities; body sentences carry their section.
  const articleBody = docs[0]!.body as { entityTypes: string[] };
  t.deepEqual([...articleBody.entityTypes].sort(), [...new Set(a.mentions.map((m) => m.type))].sort());
  const sentences = docs.filter((d) => d.kind === 'sentences').map((d) => d.body as { text: string; section?: string });
  t.is(sentences.find((s) => s.text.includes('postsynaptic'))?.section, 'Results > Localization');
  t.is(sentences.find((s) => s.text.startsWith('Pannexin1 forms'))?.section, undefined);
  t.deepEqual(docs.at(-1)!.body, { ...plan.states.get(DOC_C.id) });
});

test('stale ops are ignored; a newer version drops the old annotation documents; inputs stay unchanged', (t) => {
  const input = states({ ...storedV1(), article: { version: 2, fullText: false, source: 'pubmed' } });
  const stale = planWrites([{ op: 'upsertArticle', article: article(DOC_A) }], input);
  t.is(stale.ignored, 1);
  t.deepEqual(planDocs(stale, new Map()).docs, []);

  const v3 = { ...DOC_A, version: 3 };
  const newer = planWrites([{ op: 'upsertArticle', article: article(v3) }], input);
  t.deepEqual([...newer.cleanupAll], [DOC_A.id]);
  t.like(newer.states.get(DOC_A.id), { annotationVersion: null, annotationTag: null, article: { version: 3 } });
  t.like(input.get(DOC_A.id), { annotationVersion: 1, article: { version: 2 } });
});

test('a re-annotation keeps only its own tag; a delete blocks the late annotation of its version', (t) => {
  const again = planWrites([{ op: 'upsertAnnotation', annotation: annotation(DOC_A) }], states(storedV1()));
  t.deepEqual([...again.cleanupExceptTag], [[DOC_A.id, `${DOC_A.id}@1/mv-test-0001`]]);
  t.deepEqual(sectionsNeeded(again), [DOC_A.id]);
  // Without the article in the batch, the entity fields go to the stored article as an update.
  t.true(planDocs(again, new Map()).docs.some((d) => d.kind === 'articles' && d.update));

  const deleted = planWrites(
    [
      { op: 'deleteArticle', documentId: DOC_A.id },
      { op: 'upsertAnnotation', annotation: annotation(DOC_A) },
    ],
    states(storedV1()),
  );
  t.is(deleted.ignored, 1);
  t.deepEqual(deleted.states.get(DOC_A.id)?.deleted, { version: 1 });
  const docs = planDocs(deleted, new Map()).docs;
  t.deepEqual(
    docs.map((d) => [d.kind, d.delete ?? false]),
    [
      ['articles', true],
      ['state', false],
    ],
  );
});

test('an abstract-only record over a stored full text needs that full text read first', (t) => {
  const stored = states({ ...emptyState(DOC_C.id), article: { version: 1, fullText: true, source: 'pmc' } });
  const citation = { ...article(DOC_C), source: 'pubmed' as const, fullText: false, title: 'Revised title' };
  t.deepEqual(fullTextsNeeded([{ op: 'upsertArticle', article: citation }], stored), [DOC_C.id]);
  const plan = planWrites([{ op: 'upsertArticle', article: citation }], stored, new Map([[DOC_C.id, article(DOC_C)]]));
  const merged = plan.articles.get(DOC_C.id)!.article;
  t.like(merged, { title: 'Revised title', fullText: true, source: 'pmc' });
  t.deepEqual(merged.passages, article(DOC_C).passages);
});
