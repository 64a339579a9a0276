/**
 * The pure parts both search stores share: query terms from user text, date bounds, and the
 * version/delete/merge rules (store-level behaviour is in the contract suite).
 */
import test from 'ava';
import { questionTerms, searchPhrases } from '../../src/store/query-terms.js';
import { dateBound, normKey, publishedDate } from '../../src/store/store-fields.js';
import { decideAnnotation, decideArticle, decideDelete } from '../../src/store/version-rules.js';
import { DOC_A, annotation, article } from './store-fixtures.js';

test('searchPhrases keeps hyphenated and alphanumeric terms and drops operators and punctuation', (t) => {
  t.deepEqual(searchPhrases('IL-6 AND "breast cancer" (NEAR)'), ['il-6', 'breast', 'cancer']);
  t.deepEqual(searchPhrases('p53 OR NOT brca1*'), ['p53', 'brca1']);
  t.deepEqual(searchPhrases('"" () - \\ ^'), []);
  t.deepEqual(searchPhrases('Naïve T-cells'), ['naïve', 't-cells']);
});

test('questionTerms drops stopwords and question words', (t) => {
  t.deepEqual(questionTerms('Where is the protein Pannexin1 located?'), ['protein', 'pannexin1', 'located']);
  t.deepEqual(questionTerms('What is the?'), []);
});

test('date bounds complete partial dates inclusively', (t) => {
  t.is(dateBound('2019', 'lower'), '2019-01-01');
  t.is(dateBound('2019', 'upper'), '2019-12-31');
  t.is(dateBound('2020-02', 'upper'), '2020-02-29');
  t.is(dateBound('2019-3-4', 'lower'), '2019-03-04');
  t.is(publishedDate({ published: '2019-03' }), '2019-03-01');
  t.is(publishedDate({ medlineDate: '1998 Dec-1999 Jan' }), undefined);
  t.is(normKey('Disease:Breast  Cancer'), 'Disease:breast cancer');
});

test('version rules: stale, newer, deleted, merge', (t) => {
  const v1 = article(DOC_A);
  const v2 = { ...v1, version: 2 };
  t.is(decideArticle({ article: v2 }, v1).kind, 'ignore');
  t.like(decideArticle({ article: v1 }, v2), { kind: 'write', dropAnnotations: 'older' });
  t.like(decideArticle({ article: v1 }, v1), { kind: 'write', dropAnnotations: 'none' });
  t.is(decideArticle({ deleted: { version: 1 } }, v1).kind, 'ignore');
  t.like(decideArticle({ deleted: { version: 1 } }, v2), { kind: 'write', clearsDelete: true });
  t.is(decideAnnotation({ deleted: { version: null } }, annotation(DOC_A)).kind, 'ignore');
  t.is(decideAnnotation({ article: v2 }, annotation(DOC_A)).kind, 'ignore');
  t.is(decideAnnotation({ annotationVersion: 2 }, annotation(DOC_A)).kind, 'ignore');
  const full = { ...v1, source: 'pmc' as const, fullText: true, pmcid: 'PMC1', license: 'CC BY' };
  const merged = decideArticle({ article: full }, { ...v1, title: 'New', version: 3 }, full);
  t.like(merged, { kind: 'write', dropAnnotations: 'none', article: { title: 'New', version: 1, fullText: true, pmcid: 'PMC1' } });
});

test('delete rule: stale deletes ignored, the recorded version widens', (t) => {
  const v2 = { ...article(DOC_A), version: 2 };
  t.is(decideDelete({ article: v2 }, 1).kind, 'ignore');
  t.deepEqual(decideDelete({ article: v2 }, undefined), { kind: 'delete', deleted: { version: 2 } });
  t.deepEqual(decideDelete({ article: v2 }, 3), { kind: 'delete', deleted: { version: 3 } });
  t.deepEqual(decideDelete({}, undefined), { kind: 'delete', deleted: { version: null } });
  t.deepEqual(decideDelete({ deleted: { version: 5 } }, 2), { kind: 'delete', deleted: { version: 5 } });
  t.deepEqual(decideDelete({ deleted: { version: null } }, 2), { kind: 'delete', deleted: { version: null } });
  t.deepEqual(decideDelete({ deleted: { version: 2 } }, undefined), { kind: 'delete', deleted: { version: null } });
});
