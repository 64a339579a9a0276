/**
 * The contract for the analysts' page reads (EntityReads) and for query syntax, part of the store
 * contract suite (store-contract.ts calls it for each store): an article's annotations, an entity
 * by key with names and years, autocomplete by prefix, co-mentioned entities, relations with a
 * type-only side, and user-typed FTS5/Lucene operators that neither break nor widen a query.
 */
import anyTest, { type TestFn } from 'ava';
import type { SearchStore } from '../../src/store/store.js';
import { DOC_A, DOC_B, DOC_C, annotation, corpusOps } from './store-fixtures.js';
import type { StoreFactory } from './store-contract.js';

export function entityReadsContract(name: string, open: StoreFactory, options: { skip?: string } = {}): void {
  const test = anyTest as TestFn;
  const it = options.skip ? test.skip : test;
  const title = (t: string) => `${name}: ${t}${options.skip ? ` (skipped: ${options.skip})` : ''}`;
  const withCorpus = (body: (store: SearchStore) => Promise<void>) => async () => {
    const opened = await open();
    try {
      await opened.store.init();
      await opened.store.apply(corpusOps());
      await opened.store.refresh();
      await body(opened.store);
    } finally {
      await opened.store.close().catch(() => {});
      await opened.dispose?.();
    }
  };

  it(title('articleAnnotations returns sentences, mentions with offsets and keys, and relations'), async (t) => {
    await withCorpus(async (store) => {
      const got = await store.articleAnnotations(DOC_A.id);
      const expected = annotation(DOC_A);
      t.deepEqual(
        got.sentences.map((s) => [s.id, s.passageId, s.start, s.end, s.text]),
        expected.sentences.map((s) => [s.id, s.passageId, s.start, s.end, s.text]),
      );
      t.deepEqual(
        got.mentions.map((m) => [m.id, m.passageId, m.sentenceId, m.start, m.end, m.text, m.type, m.key, m.score]),
        [...expected.mentions]
          .sort((a, b) => a.start - b.start)
          .map((m) => [m.id, m.passageId, m.sentenceId, m.start, m.end, m.text, m.type, m.key, 0.9]),
      );
      t.is(got.relations.length, 2);
      const cid = got.relations.find((r) => r.type === 'CID')!;
      t.is(cid.score, 0.9);
      t.deepEqual(
        [cid.subject.key, cid.subject.type, cid.subject.text, cid.object.key, cid.object.text],
        ['Chemical:cisplatin', 'Chemical', 'Cisplatin', 'Disease:nephrotoxicity', 'nephrotoxicity'],
      );
      t.is(cid.sentenceId, expected.sentences[0]!.id);
      t.true(got.mentions.some((m) => m.id === cid.subject.mentionId));
      // Relations come best score first.
      t.deepEqual(
        got.relations.map((r) => r.score),
        [0.9, 0.7],
      );
      t.deepEqual(await store.articleAnnotations('pmid:999999'), { sentences: [], mentions: [], relations: [] });
    })();
  });

  it(title('entity by key: type, names, counts and articles per year; unknown keys are null'), async (t) => {
    await withCorpus(async (store) => {
      const e = await store.entity('Chemical:Cisplatin');
      t.truthy(e);
      t.is(e!.key, 'Chemical:cisplatin');
      t.is(e!.type, 'Chemical');
      t.is(e!.mentions, 4);
      t.is(e!.documents, 2);
      t.is(e!.text, 'Cisplatin');
      t.deepEqual(e!.names, [
        { text: 'Cisplatin', mentions: 2 },
        { text: 'cisplatin', mentions: 2 },
      ]);
      t.deepEqual(e!.years, [
        { year: '2019', documents: 1 },
        { year: '2021', documents: 1 },
      ]);
      t.is(await store.entity('Chemical:unobtainium'), null);
      t.is(await store.entity('cisplatin'), null, 'a bare text is no key');
    })();
  });

  it(title('suggestEntities completes a text prefix, ranked by documents, optionally by type'), async (t) => {
    await withCorpus(async (store) => {
      const pan = await store.suggestEntities({ prefix: 'PAN' });
      t.deepEqual(
        pan.map((s) => [s.key, s.type, s.text, s.documents, s.mentions]),
        [['Gene:pannexin1', 'Gene', 'Pannexin1', 2, 3]],
      );
      const c = await store.suggestEntities({ prefix: 'c' });
      t.deepEqual(
        c.map((s) => s.key),
        ['Chemical:cisplatin', 'Chemical:carboplatin'],
      );
      t.deepEqual(
        (await store.suggestEntities({ prefix: 'c', limit: 1 })).map((s) => s.key),
        ['Chemical:cisplatin'],
      );
      t.deepEqual(await store.suggestEntities({ prefix: 'c', type: 'Disease' }), []);
      t.deepEqual(
        (await store.suggestEntities({ prefix: 'ovarian c' })).map((s) => s.key),
        ['Disease:ovarian cancer'],
      );
      // Wildcards and syntax are literal characters of the prefix.
      for (const prefix of ['%', '_', '*', 'c%', 'c*', '"', '\\', '']) {
        t.deepEqual(await store.suggestEntities({ prefix }), [], `prefix ${JSON.stringify(prefix)}`);
      }
    })();
  });

  it(title('coMentioned ranks the entities sharing articles with an entity, itself excluded'), async (t) => {
    await withCorpus(async (store) => {
      const co = await store.coMentioned({ key: 'Disease:nephrotoxicity' });
      t.deepEqual(
        co.map((b) => [b.key, b.documents, b.mentions]),
        [
          ['Chemical:cisplatin', 2, 4],
          ['Chemical:carboplatin', 1, 1],
          ['Disease:ovarian cancer', 1, 1],
          ['Gene:il-6', 1, 1],
          ['Gene:pannexin1', 1, 1],
        ],
      );
      t.is(co[0]!.text, 'Cisplatin');
      t.deepEqual(
        (await store.coMentioned({ key: 'Disease:nephrotoxicity', type: 'Gene' })).map((b) => b.key),
        ['Gene:il-6', 'Gene:pannexin1'],
      );
      t.deepEqual(await store.coMentioned({ key: 'Gene:unknown' }), []);
    })();
  });

  it(title('relations with a type-only side: any Chemical related to a given disease, any pair of two types'), async (t) => {
    await withCorpus(async (store) => {
      const toDisease = await store.relations({ subject: { type: 'Chemical' }, object: { key: 'Disease:nephrotoxicity' } });
      t.deepEqual(
        toDisease.relations.map((g) => g.subject.key),
        ['Chemical:cisplatin', 'Chemical:carboplatin'],
      );
      const chemGene = await store.relations({ subject: { type: 'Chemical' }, object: { type: 'Gene' } });
      t.deepEqual(
        chemGene.relations.map((g) => `${g.subject.key} ${g.type} ${g.object.key}`),
        ['Chemical:cisplatin CPR:3 Gene:il-6'],
      );
      t.is((await store.relations({ subject: { type: 'Gene' }, object: { type: 'Chemical' } })).total, 0);
    })();
  });

  it(title('a query of only operators matches nothing; operators in a query never widen it'), async (t) => {
    await withCorpus(async (store) => {
      const onlyOperators = [
        '"',
        '*',
        '**',
        'NEAR(',
        'NEAR()',
        'AND OR',
        'AND',
        'OR NOT',
        '-',
        '- -',
        'col:',
        'title:',
        '"" ""',
        '^',
        '()',
        '{}',
        '+',
        '~',
        'the and of',
      ];
      for (const text of onlyOperators) {
        t.is((await store.search({ text })).total, 0, `articles ${JSON.stringify(text)}`);
        t.is((await store.search({ text, target: 'sentences' })).total, 0, `sentences ${JSON.stringify(text)}`);
        t.deepEqual(await store.facets({ type: 'Chemical', text }), [], `facets ${JSON.stringify(text)}`);
      }
      // Filters alone (empty text) still list articles.
      t.true((await store.search({ text: '' })).total > 0);
      const ids = async (text: string) => (await store.search({ text })).hits.map((h) => h.documentId).sort();
      // No prefix expansion, no OR, no NOT, no column filter, no NEAR: every word must match.
      t.deepEqual(await ids('cis*'), []);
      t.deepEqual(await ids('cisplatin OR p53'), []);
      t.deepEqual(await ids('cisplatin NOT carboplatin'), [DOC_B.id]);
      t.deepEqual(await ids('-carboplatin cisplatin'), [DOC_B.id]);
      t.deepEqual(await ids('title:cisplatin'), []);
      t.deepEqual(await ids('NEAR(cisplatin carboplatin, 50)'), []);
      t.deepEqual(await ids('"cisplatin'), [DOC_A.id, DOC_B.id].sort());
      t.deepEqual(await ids('p53*'), [DOC_C.id]);
    })();
  });
}
