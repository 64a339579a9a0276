/**
 * The store contract for normalized entities: mentions keyed "Type:ID" (two spellings of cisplatin,
 * MeSH D002945) are one entity for relations, facets and the entity search filter, in every store
 * implementation; keys keep their identifier's case. Run beside storeContract by each store's test.
 *
 *   normalizedStoreContract('embedded', async () => ({ store: new SqliteStore({ path: ':memory:' }) }));
 */
import anyTest, { type TestFn } from 'ava';
import type { Annotation } from '../../src/records/types.js';
import type { StoreOp } from '../../src/store/store.js';
import type { StoreFactory } from './store-contract.js';
import { annotation, article, doc } from './store-fixtures.js';

const IDS: Record<string, { id: string; name: string }> = {
  'Chemical:cisplatin': { id: 'MESH:D002945', name: 'Cisplatin' },
  'Disease:nephrotoxicity': { id: 'MESH:D058186', name: 'Acute Kidney Injury' },
  'Disease:acute kidney injury': { id: 'MESH:D058186', name: 'Acute Kidney Injury' },
};

/** The fixture annotation as the normalizer leaves it: ids on every known mention, keys by id. */
function normalized(a: Annotation): Annotation {
  return {
    ...a,
    mentions: a.mentions.map((m) => {
      const hit = IDS[m.key];
      return hit ? { ...m, key: `${m.type}:${hit.id}`, ids: [{ ...hit, score: 0.97 }] } : m;
    }),
  };
}

const DOCS = [
  doc({
    id: 'pmid:7001',
    title: 'Cisplatin and the kidney',
    published: '2020',
    abstract: [
      {
        text: 'Cisplatin caused nephrotoxicity in rats.',
        mentions: [
          ['Cisplatin', 'Chemical'],
          ['nephrotoxicity', 'Disease'],
        ],
        relations: [['Cisplatin', 'CID', 'nephrotoxicity', 0.9]],
      },
    ],
  }),
  doc({
    id: 'pmid:7002',
    title: 'A second report',
    published: '2021',
    abstract: [
      {
        text: 'Patients on cisplatin developed acute kidney injury.',
        mentions: [
          ['cisplatin', 'Chemical'],
          ['acute kidney injury', 'Disease'],
        ],
        relations: [['cisplatin', 'CID', 'acute kidney injury', 0.8]],
      },
    ],
  }),
];

function ops(): StoreOp[] {
  return DOCS.flatMap((d) => [
    { op: 'upsertArticle' as const, article: article(d) },
    { op: 'upsertAnnotation' as const, annotation: normalized(annotation(d)) },
  ]);
}

export function normalizedStoreContract(name: string, open: StoreFactory, options: { skip?: string } = {}): void {
  const test = anyTest as TestFn;
  const it = options.skip ? test.skip : test;
  it(`${name}: normalized entities are one entity by id for relations, facets and search${options.skip ? ` (skipped: ${options.skip})` : ''}`, async (t) => {
    const opened = await open();
    const { store } = opened;
    try {
      await store.init();
      await store.apply(ops());
      await store.refresh();
      const r = await store.relations({ entity: { key: 'Chemical:MESH:D002945' } });
      t.is(r.total, 1, 'both spellings and both disease names fall into one relation group');
      t.like(r.relations[0], { type: 'CID', count: 2, documents: 2 });
      t.is(r.relations[0]!.subject.key, 'Chemical:MESH:D002945');
      t.is(r.relations[0]!.object.key, 'Disease:MESH:D058186');
      const byObject = await store.relations({ object: { key: 'Disease:MESH:D058186' } });
      t.is(byObject.relations[0]!.count, 2);

      const facets = await store.facets({ type: 'Chemical' });
      t.deepEqual(
        facets.map((f) => [f.key, f.documents, f.mentions]),
        [['Chemical:MESH:D002945', 2, 2]],
      );
      const around = await store.facets({ type: 'Disease', entity: { key: 'Chemical:MESH:D002945' } });
      t.deepEqual(
        around.map((f) => [f.key, f.documents]),
        [['Disease:MESH:D058186', 2]],
      );
      const hits = await store.search({ text: 'cisplatin', filters: { entity: 'Chemical:MESH:D002945' } });
      t.deepEqual(hits.hits.map((h) => h.documentId).sort(), ['pmid:7001', 'pmid:7002']);
    } finally {
      await store.close().catch(() => {});
      await opened.dispose?.();
    }
  });
}
