/**
 * The search-store contract: one suite every SearchStore implementation passes (the embedded SQLite
 * store in the unit tier, Elasticsearch in the integration tier). Each test opens a fresh store from
 * the factory, loads self-written fixtures and checks answers and shapes, not engine-specific scores.
 * Its entity-read and index-set cases are in entity-reads-contract.ts and index-set-contract.ts.
 *
 *   storeContract('embedded', async () => ({ store: new SqliteStore({ path }), reopen: () => new SqliteStore({ path }) }));
 */
import anyTest, { type TestFn } from 'ava';
import type { SearchStore, StoreOp } from '../../src/store/store.js';
import { entityReadsContract } from './entity-reads-contract.js';
import { indexSetContract } from './index-set-contract.js';
import { CORPUS, CORPUS_COUNTS, DOC_A, DOC_B, DOC_C, annotation, article, corpusOps, doc } from './store-fixtures.js';

export interface OpenedStore {
  store: SearchStore;
  /** Removes what the store created (indices); close() is called before it. */
  dispose?: () => Promise<void>;
  /** Another handle on the same store, as a second process opens it (the index-set cases need it). */
  reopen?: () => SearchStore;
}

export type StoreFactory = () => Promise<OpenedStore>;

export function storeContract(name: string, open: StoreFactory, options: { skip?: string } = {}): void {
  const test = anyTest as TestFn;
  const it = options.skip ? test.skip : test;
  const title = (t: string) => `${name}: ${t}${options.skip ? ` (skipped: ${options.skip})` : ''}`;

  /** Runs a test body against a fresh store, closing and disposing it afterwards. */
  const withStore = (body: (store: SearchStore) => Promise<void>) => async () => {
    const opened = await open();
    try {
      await opened.store.init();
      await body(opened.store);
    } finally {
      await opened.store.close().catch(() => {});
      await opened.dispose?.();
    }
  };
  entityReadsContract(name, open, options);
  indexSetContract(name, open, options);

  const loaded = async (store: SearchStore, ops: StoreOp[] = corpusOps()) => {
    const result = await store.apply(ops);
    await store.refresh();
    return result;
  };

  it(title('upsert stores articles, sentences, mentions and relations'), async (t) => {
    await withStore(async (store) => {
      const result = await loaded(store);
      t.is(result.applied, CORPUS.length * 2);
      t.deepEqual(result.rejected, []);
      t.deepEqual(await store.counts(), CORPUS_COUNTS);
      const a = await store.getArticle(DOC_A.id);
      t.deepEqual(a, article(DOC_A));
      t.is(await store.getArticle('pmid:999999'), null);
    })();
  });

  it(title('re-upserting the same records leaves counts unchanged'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      await loaded(store);
      t.deepEqual(await store.counts(), CORPUS_COUNTS);
      const hits = await store.search({ text: 'cisplatin' });
      t.is(hits.total, 2);
    })();
  });

  it(title('a newer version replaces the older one and its annotations; late older records are ignored'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const v2 = doc({
        id: DOC_A.id,
        version: 2,
        title: 'Revised: oxaliplatin study',
        journal: { title: 'Journal of Test Oncology' },
        published: '2019-03-14',
        abstract: [
          {
            text: 'Oxaliplatin caused neuropathy.',
            mentions: [
              ['Oxaliplatin', 'Chemical'],
              ['neuropathy', 'Disease'],
            ],
          },
        ],
      });
      await loaded(store, [{ op: 'upsertArticle', article: article(v2) }]);
      t.is((await store.getArticle(DOC_A.id))?.version, 2);
      // The v1 annotations went with v1.
      t.deepEqual(await store.counts(), { articles: 5, sentences: 7, mentions: 9, relations: 2 });
      t.is((await store.search({ text: 'oxaliplatin' })).total, 1);
      t.deepEqual(
        (await store.search({ text: 'pannexin1 located' })).hits.map((h) => h.documentId),
        [],
      );

      // A late v1 article and a late v1 annotation change nothing.
      const late = await loaded(store, [
        { op: 'upsertArticle', article: article(DOC_A) },
        { op: 'upsertAnnotation', annotation: annotation(DOC_A) },
      ]);
      t.deepEqual(late.rejected, []);
      t.is(late.ignored, 2);
      t.is((await store.getArticle(DOC_A.id))?.title, 'Revised: oxaliplatin study');
      t.deepEqual(await store.counts(), { articles: 5, sentences: 7, mentions: 9, relations: 2 });

      // The v2 annotation is taken.
      await loaded(store, [{ op: 'upsertAnnotation', annotation: annotation(v2) }]);
      t.deepEqual(await store.counts(), { articles: 5, sentences: 8, mentions: 11, relations: 2 });
      const s = await store.search({ text: 'neuropathy', target: 'sentences' });
      t.is(s.hits[0]?.sentence?.text, 'Oxaliplatin caused neuropathy.');
    })();
  });

  it(title('delete removes everything and blocks late annotations of that version'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const del = await loaded(store, [{ op: 'deleteArticle', documentId: DOC_B.id }]);
      t.is(del.applied, 1);
      t.is(await store.getArticle(DOC_B.id), null);
      t.deepEqual(await store.counts(), { articles: 4, sentences: 8, mentions: 10, relations: 2 });
      t.deepEqual((await store.search({ text: 'carboplatin' })).total, 0);
      const rel = await store.relations({ entity: { text: 'nephrotoxicity' } });
      t.deepEqual(
        rel.relations.flatMap((g) => g.evidence.map((e) => e.documentId)),
        [DOC_A.id],
      );

      // The annotation and the article of the deleted version arrive late: both ignored.
      const late = await loaded(store, [
        { op: 'upsertAnnotation', annotation: annotation(DOC_B) },
        { op: 'upsertArticle', article: article(DOC_B) },
      ]);
      t.is(late.ignored, 2);
      t.deepEqual(await store.counts(), { articles: 4, sentences: 8, mentions: 10, relations: 2 });

      // A later version re-creates the document.
      const b2 = { ...DOC_B, version: 2 };
      await loaded(store, [
        { op: 'upsertArticle', article: article(b2) },
        { op: 'upsertAnnotation', annotation: annotation(b2) },
      ]);
      t.deepEqual(await store.counts(), CORPUS_COUNTS);
    })();
  });

  it(title('deletes follow decideDelete: a stale delete is ignored, a second delete widens the record'), async (t) => {
    await withStore(async (store) => {
      const b3 = { ...DOC_B, version: 3 };
      await loaded(store, [{ op: 'upsertArticle', article: article(b3) }]);
      // A delete of an older version than the stored one is a late replay.
      const stale = await loaded(store, [{ op: 'deleteArticle', documentId: DOC_B.id, version: 2 }]);
      t.is(stale.ignored, 1);
      t.is((await store.getArticle(DOC_B.id))?.version, 3);
      // Deleting at 3, then at 1 (nothing stored by then): the record keeps the later version.
      const dels = await loaded(store, [
        { op: 'deleteArticle', documentId: DOC_B.id },
        { op: 'deleteArticle', documentId: DOC_B.id, version: 1 },
      ]);
      t.is(dels.applied, 2);
      const replay = await loaded(store, [{ op: 'upsertArticle', article: article(b3) }]);
      t.is(replay.ignored, 1);
      t.is(await store.getArticle(DOC_B.id), null);
      const b4 = { ...DOC_B, version: 4 };
      const later = await loaded(store, [{ op: 'upsertArticle', article: article(b4) }]);
      t.is(later.applied, 1);
      t.is((await store.getArticle(DOC_B.id))?.version, 4);
    })();
  });

  it(title('an abstract-only PubMed record merges its metadata into a stored PMC full text'), async (t) => {
    await withStore(async (store) => {
      const full = doc({
        id: 'pmid:1006',
        source: 'pmc',
        fullText: true,
        pmcid: 'PMC3006',
        title: 'Old title of the full text',
        published: '2022-02',
        abstract: [{ text: 'Gadolinium contrast was studied.' }],
        body: [{ section: 'Methods', sentences: [{ text: 'Zebrafish larvae were imaged under the microscope.' }] }],
      });
      const citation = doc({
        id: 'pmid:1006',
        title: 'New title from PubMed',
        published: '2022-02-03',
        mesh: ['Zebrafish', 'Contrast Media'],
        abstract: [{ text: 'Gadolinium contrast was studied.' }],
      });
      await loaded(store, [
        { op: 'upsertArticle', article: article(full) },
        { op: 'upsertAnnotation', annotation: annotation(full) },
      ]);
      await loaded(store, [{ op: 'upsertArticle', article: article(citation) }]);
      const merged = await store.getArticle('pmid:1006');
      t.truthy(merged);
      t.is(merged!.fullText, true);
      t.is(merged!.pmcid, 'PMC3006');
      t.is(merged!.source, 'pmc');
      t.is(merged!.title, 'New title from PubMed');
      t.deepEqual(
        merged!.mesh.map((m) => m.name),
        ['Zebrafish', 'Contrast Media'],
      );
      t.deepEqual(merged!.passages, article(full).passages);
      t.is((await store.search({ text: 'zebrafish larvae' })).total, 1);
      t.is((await store.counts()).sentences, 2);
    })();
  });

  it(title('malformed ops are rejected with a reason; the rest of the batch is applied'), async (t) => {
    await withStore(async (store) => {
      const bad = annotation(DOC_A);
      bad.relations = [{ ...bad.relations[0]!, subjectId: 'm-missing' }];
      const noId = { ...article(DOC_B), id: '' };
      const result = await loaded(store, [
        { op: 'upsertArticle', article: noId },
        { op: 'upsertArticle', article: article(DOC_A) },
        { op: 'upsertAnnotation', annotation: bad },
      ]);
      t.is(result.applied, 1);
      t.is(result.rejected.length, 2);
      t.regex(result.rejected[0]!.reason, /id/);
      t.regex(result.rejected[1]!.reason, /m-missing|mention/);
      t.is((await store.counts()).articles, 1);
    })();
  });

  it(title('search ranks articles, highlights matches and reports metadata'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const r = await store.search({ text: 'cisplatin' });
      t.is(r.total, 2);
      t.deepEqual(r.hits.map((h) => h.documentId).sort(), [DOC_A.id, DOC_B.id]);
      const a = r.hits.find((h) => h.documentId === DOC_A.id)!;
      t.is(a.pmid, '1001');
      t.is(a.title, DOC_A.title);
      t.is(a.journal, 'Journal of Test Oncology');
      t.is(a.published, '2019-03-14');
      t.true(a.score > 0);
      t.true(a.highlights.length > 0);
      t.true(
        a.highlights.some((h) => /«cisplatin»/i.test(h)),
        a.highlights.join(' | '),
      );
      t.true(r.hits[0]!.score >= r.hits[1]!.score);

      // All words must match; hyphenated and alphanumeric gene names are findable.
      t.deepEqual(
        (await store.search({ text: 'cisplatin carboplatin' })).hits.map((h) => h.documentId),
        [DOC_B.id],
      );
      t.deepEqual(
        (await store.search({ text: 'IL-6' })).hits.map((h) => h.documentId),
        [DOC_A.id],
      );
      t.deepEqual(
        (await store.search({ text: 'p53' })).hits.map((h) => h.documentId),
        [DOC_C.id],
      );
      t.deepEqual((await store.search({ text: 'PANNEXIN1' })).total, 2);

      const page = await store.search({ text: 'cisplatin', limit: 1, offset: 1 });
      t.is(page.total, 2);
      t.is(page.hits.length, 1);
      t.is(page.hits[0]!.documentId, r.hits[1]!.documentId);
    })();
  });

  it(title('search filters: dates, journal, entity type, entity'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const ids = async (filters: object, text = 'cisplatin') =>
        (await store.search({ text, filters })).hits.map((h) => h.documentId).sort();
      t.deepEqual(await ids({ journal: 'J Test Oncol' }), [DOC_A.id]);
      t.deepEqual(await ids({ journal: 'kidney test reports' }), [DOC_B.id]);
      t.deepEqual(await ids({ dateFrom: '2020' }), [DOC_B.id]);
      t.deepEqual(await ids({ dateTo: '2019-03' }), [DOC_A.id]);
      t.deepEqual(await ids({ dateFrom: '2019-03-14', dateTo: '2021' }), [DOC_A.id, DOC_B.id]);
      t.deepEqual(await ids({ dateFrom: '2021-02' }), []);
      t.deepEqual(await ids({ entityType: 'Gene' }), [DOC_A.id]);
      t.deepEqual(await ids({ entity: 'Disease:Ovarian Cancer' }), [DOC_A.id]);
      t.deepEqual(await ids({ entity: 'carboplatin' }), [DOC_B.id]);
      t.deepEqual(await ids({ entityType: 'Gene' }, 'pannexin1'), [DOC_C.id, DOC_A.id].sort());
      t.deepEqual(await ids({ journal: 'J Test Oncol', dateFrom: '2023' }, 'pannexin1'), [DOC_C.id]);
      // Filters without text: newest first.
      const newest = await store.search({ text: '', filters: { journal: 'Journal of Test Oncology' } });
      t.deepEqual(
        newest.hits.map((h) => h.documentId),
        [DOC_C.id, DOC_A.id],
      );
    })();
  });

  it(title('the section filter keeps matches in passages of a section or under it, whichever arrives first'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const sentences = async (section: string, text = 'pannexin1') =>
        (await store.search({ text, target: 'sentences', filters: { section } })).hits.map((h) => h.sentence!.text);
      const inResults = ['In neurons, pannexin1 localizes to the postsynaptic density.'];
      t.deepEqual(await sentences('Results'), inResults, 'a path under the section');
      t.deepEqual(await sentences('results > localization'), inResults, 'the full path, any case');
      t.deepEqual(await sentences('Localization'), [], 'not a later part of the path');
      t.deepEqual(await sentences('Res'), [], 'not a prefix of a name');
      t.is((await store.search({ text: 'pannexin1', target: 'sentences' })).total, 3, 'without it, abstracts too');
      const articles = async (section: string, text: string) =>
        (await store.search({ text, filters: { section } })).hits.map((h) => h.documentId);
      t.deepEqual(await articles('Results', 'pannexin1'), [DOC_C.id]);
      t.deepEqual(await articles('Results', 'channels'), [], 'the text must match in the section, not elsewhere in the article');
      t.deepEqual(await articles('Results', ''), [DOC_C.id], 'no text: articles with such a section');

      // The annotation first, its article (which holds the sections) after.
      const late = doc({
        id: 'pmid:1100',
        title: 'Late sections',
        published: '2022',
        abstract: [{ text: 'Zebrafish were studied.' }],
        body: [
          { section: 'Methods > Imaging', sentences: [{ text: 'Zebrafish larvae were imaged.' }] },
          { section: 'CONCLUSIONS', sentences: [{ text: 'Zebrafish imaging works.' }] },
        ],
      });
      await loaded(store, [{ op: 'upsertAnnotation', annotation: annotation(late) }]);
      await loaded(store, [{ op: 'upsertArticle', article: article(late) }]);
      t.deepEqual(await sentences('methods', 'zebrafish'), ['Zebrafish larvae were imaged.']);
      t.deepEqual(await sentences('Conclusions', 'zebrafish'), ['Zebrafish imaging works.']);
      // And a new annotation of the stored article takes the sections from it.
      await loaded(store, [{ op: 'upsertAnnotation', annotation: annotation(late, 'mv-test-0002') }]);
      t.deepEqual(await sentences('methods', 'zebrafish'), ['Zebrafish larvae were imaged.']);
    })();
  });

  it(title('sentence search returns the sentence with offsets and highlights, and honours filters'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const r = await store.search({ text: 'pannexin1 localizes', target: 'sentences' });
      t.is(r.total, 1);
      const hit = r.hits[0]!;
      t.is(hit.documentId, DOC_C.id);
      t.is(hit.pmcid, 'PMC2001');
      t.is(hit.title, DOC_C.title);
      t.is(hit.sentence!.text, 'In neurons, pannexin1 localizes to the postsynaptic density.');
      t.is(hit.sentence!.passageId, 'body.0');
      t.is(hit.sentence!.start, 0);
      t.is(hit.sentence!.end, hit.sentence!.text.length);
      t.true(
        hit.highlights.some((h) => h.includes('«pannexin1»') && h.includes('«localizes»')),
        hit.highlights.join(' | '),
      );

      const all = await store.search({ text: 'nephrotoxicity', target: 'sentences' });
      t.is(all.total, 3);
      const filtered = await store.search({ text: 'nephrotoxicity', target: 'sentences', filters: { dateFrom: '2021' } });
      t.deepEqual(
        filtered.hits.map((h) => h.documentId),
        [DOC_B.id, DOC_B.id],
      );
      t.deepEqual(
        filtered.hits.map((h) => h.sentence!.id).sort(),
        annotation(DOC_B)
          .sentences.map((s) => s.id)
          .sort(),
      );
    })();
  });

  it(title('relations are grouped, counted, ranked by support then score, with evidence'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const r = await store.relations({ entity: { text: 'Nephrotoxicity' } });
      t.is(r.total, 2);
      const [first, second] = r.relations;
      t.is(first!.type, 'CID');
      t.deepEqual(first!.subject, { key: 'Chemical:cisplatin', type: 'Chemical', text: 'Cisplatin' });
      t.deepEqual(first!.object, { key: 'Disease:nephrotoxicity', type: 'Disease', text: 'nephrotoxicity' });
      t.is(first!.count, 2);
      t.is(first!.documents, 2);
      t.is(first!.maxScore, 0.9);
      // Two documents outrank a higher score from one.
      t.is(second!.subject.key, 'Chemical:carboplatin');
      t.is(second!.maxScore, 0.95);
      t.is(second!.documents, 1);
      // Evidence: best score first, with the sentence text.
      t.deepEqual(
        first!.evidence.map((e) => [e.documentId, e.pmid, e.score, e.sentence]),
        [
          [DOC_A.id, '1001', 0.9, 'Cisplatin induced nephrotoxicity in the treated patients.'],
          [DOC_B.id, '1002', 0.8, 'Cisplatin caused nephrotoxicity in a rat model.'],
        ],
      );
      t.is(first!.evidence[0]!.sentenceId, annotation(DOC_A).sentences[0]!.id);

      const limited = await store.relations({ entity: { key: 'Disease:nephrotoxicity' }, evidencePerRelation: 1, limit: 1 });
      t.is(limited.total, 2);
      t.is(limited.relations.length, 1);
      t.is(limited.relations[0]!.evidence.length, 1);

      const bySubject = await store.relations({ subject: { text: 'cisplatin', type: 'Chemical' } });
      t.deepEqual(
        bySubject.relations.map((g) => `${g.type} ${g.object.key}`),
        ['CID Disease:nephrotoxicity', 'CPR:3 Gene:il-6'],
      );
      const byType = await store.relations({ entity: { text: 'cisplatin' }, type: 'CPR:3' });
      t.deepEqual(
        byType.relations.map((g) => g.object.text),
        ['IL-6'],
      );
      const byObject = await store.relations({ object: { key: 'Gene:IL-6' } });
      t.is(byObject.total, 1);
      t.is((await store.relations({ entity: { text: 'nephrotoxicity', type: 'Chemical' } })).total, 0);
    })();
  });

  it(title('facets count documents and mentions of a type around an entity or a text'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const chem = await store.facets({ type: 'Chemical', entity: { key: 'Disease:nephrotoxicity' } });
      t.deepEqual(chem, [
        { key: 'Chemical:cisplatin', text: 'Cisplatin', type: 'Chemical', documents: 2, mentions: 4 },
        { key: 'Chemical:carboplatin', text: 'Carboplatin', type: 'Chemical', documents: 1, mentions: 1 },
      ]);
      const genes = await store.facets({ type: 'Gene', text: 'pannexin1' });
      t.deepEqual(
        genes.map((b) => [b.key, b.documents, b.mentions]),
        [
          ['Gene:pannexin1', 2, 3],
          ['Gene:il-6', 1, 1],
          ['Gene:p53', 1, 1],
        ],
      );
      t.is((await store.facets({ type: 'Gene', text: 'pannexin1', limit: 1 })).length, 1);
      // The entity is not its own facet.
      const self = await store.facets({ type: 'Gene', entity: { text: 'pannexin1' } });
      t.deepEqual(
        self.map((b) => b.key),
        ['Gene:il-6', 'Gene:p53'],
      );
    })();
  });

  it(title('ask ranks sentences by the question words and boosts question entities'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const answer = await store.ask({
        question: 'Where is the protein Pannexin1 located?',
        entities: [{ text: 'Pannexin1', type: 'Gene' }],
      });
      t.true(answer.sentences.length > 0);
      t.is(answer.sentences[0]!.text, 'Pannexin1 is located at the plasma membrane of ovarian cancer cells.');
      t.is(answer.sentences[0]!.pmid, '1001');
      const scores = answer.sentences.map((s) => s.score);
      t.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
      );

      // Same words, same length: only the mention of the question entity tells them apart.
      const plain = await store.ask({ question: 'Where was the receptor detected?', limit: 2 });
      t.deepEqual(plain.sentences.map((s) => s.documentId).sort(), ['pmid:1004', 'pmid:1005']);
      t.is(plain.sentences[0]!.score, plain.sentences[1]!.score);
      const boosted = await store.ask({
        question: 'Where was the receptor detected?',
        entities: [{ text: 'receptor', type: 'Gene' }],
        limit: 2,
      });
      t.is(boosted.sentences[0]!.documentId, 'pmid:1005');
      t.true(boosted.sentences[0]!.score > boosted.sentences[1]!.score);
      t.deepEqual((await store.ask({ question: 'What is the?' })).sentences, []);
    })();
  });

  it(title('odd query strings never throw'), async (t) => {
    await withStore(async (store) => {
      await loaded(store);
      const odd = [
        '',
        '   ',
        '"',
        '"unbalanced',
        '(cancer',
        'cancer)',
        'cancer AND',
        'AND',
        'OR NOT',
        'NEAR(a b, 3)',
        'title:foo',
        'col:',
        '*',
        'cis*',
        '^',
        '-',
        '- -',
        "'",
        'a"b',
        '{}',
        '[]',
        '\\',
        '/',
        '+cancer -cisplatin',
        'ß-catenin',
        '🧬 DNA',
        'naïve T-cells',
        '日本語',
        'x'.repeat(5000),
        'IL-6 AND (p53 OR "brca1")',
        'cancer~2',
        'a:b:c',
        '"" ""',
        '\u0000',
      ];
      for (const text of odd) {
        await t.notThrowsAsync(store.search({ text }), `search ${JSON.stringify(text.slice(0, 20))}`);
        await t.notThrowsAsync(store.search({ text, target: 'sentences' }), `sentences ${JSON.stringify(text.slice(0, 20))}`);
        await t.notThrowsAsync(store.ask({ question: text }), `ask ${JSON.stringify(text.slice(0, 20))}`);
        await t.notThrowsAsync(store.facets({ type: 'Gene', text }), `facets ${JSON.stringify(text.slice(0, 20))}`);
        await t.notThrowsAsync(store.relations({ entity: { text } }), `relations ${JSON.stringify(text.slice(0, 20))}`);
      }
      t.deepEqual((await store.search({ text: '(cisplatin' })).total, 2);
      t.deepEqual((await store.search({ text: '"cisplatin" AND carboplatin' })).total, 1);
      t.deepEqual((await store.search({ text: 'NEAR(cisplatin)' })).total, 2);
    })();
  });
}
