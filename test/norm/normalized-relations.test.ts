/**
 * Normalized keys through the annotate stage, the embedded store and the CLI: "cisplatin" and
 * "Cisplatin" become one entity keyed by its MeSH id, relations are keyed by the two ids, and
 * `litmine relations MESH:D002945` answers exactly as `litmine relations cisplatin`. The dictionary is
 * a small MeSH-format table written here; the annotator is the topology tests' word-list annotator.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Normalizer } from '../../src/norm/normalizer.js';
import { DEFAULT_WEIGHTS } from '../../src/norm/ranker.js';
import { annotateArticles } from '../../src/stages/annotate-articles.js';
import { annotationOutputs } from '../../src/stages/annotation-outputs.js';
import { validateRecord } from '../../src/records/schemas.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';
import { litmine } from '../pipeline/cli-io.js';
import { DictionaryAnnotator } from '../topologies/dictionary-annotator.js';
import { article } from '../topologies/articles.js';

async function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'litmine-normrel-'));
  const vocab = join(dataDir, 'staged');
  mkdirSync(vocab);
  writeFileSync(
    join(vocab, 'mesh_id_label_mappings.tsv'),
    'D002945\tCisplatin\tcis-Platinum|CDDP\tD01.210.375\t\nD058186\tAcute Kidney Injury\tNephrotoxicity\tC12.050.351.968.419.780.050\t\n',
  );
  const out = join(dataDir, 'vocab', 'dictionary.sqlite');
  await buildDictionary({ from: [vocab], out });
  const normalizer = new Normalizer(Dictionary.open(out), DEFAULT_WEIGHTS);
  const base = new DictionaryAnnotator();
  const annotator = Object.assign(Object.create(Object.getPrototypeOf(base)), base, { normalizer });
  const articles = [
    article('9001', 'Cisplatin caused nephrotoxicity in rats.'),
    article('9002', 'Rats given cisplatin developed nephrotoxicity.'),
  ];
  const annotations = await annotateArticles(articles, annotator);
  const store = new SqliteStore({ path: join(dataDir, 'store.sqlite') });
  await store.init();
  await store.apply(
    articles.flatMap((a, i) => [
      { op: 'upsertArticle' as const, article: a },
      { op: 'upsertAnnotation' as const, annotation: annotations[i]! },
    ]),
  );
  await store.close();
  normalizer.dict.close();
  return { dataDir, annotations };
}

test('both spellings share the MeSH key; entity and relation records carry ids, names and valid schemas', async (t) => {
  const { annotations } = await setup();
  const chem = annotations.flatMap((a) => a.mentions).filter((m) => m.type === 'Chemical');
  t.deepEqual(
    chem.map((m) => [m.text, m.key, m.ids?.[0]?.name]),
    [
      ['Cisplatin', 'Chemical:MESH:D002945', 'Cisplatin'],
      ['cisplatin', 'Chemical:MESH:D002945', 'Cisplatin'],
    ],
  );
  for (const a of annotations) {
    validateRecord(a);
    t.truthy(a.models.norm);
    const { entities, relations } = annotationOutputs(a);
    for (const e of entities) validateRecord(e);
    t.true(entities.every((e) => e.id?.startsWith('MESH:') && e.name));
    t.deepEqual(
      relations.map((r) => r.key),
      ['Chemical:MESH:D002945|CID|Disease:MESH:D058186'],
    );
    validateRecord(relations[0]!);
  }
});

test('litmine relations answers the same for the id and for the name', async (t) => {
  const { dataDir } = await setup();
  const byId = await litmine('relations', 'MESH:D002945', '--json', '--data-dir', dataDir);
  const byName = await litmine('relations', 'cisplatin', '--json', '--data-dir', dataDir);
  t.is(byId.code, 0, byId.err);
  t.is(byName.code, 0, byName.err);
  const r = JSON.parse(byId.out);
  t.is(r.relations.length, 1);
  t.is(r.relations[0].count, 2, 'both spellings, one entity');
  t.is(r.relations[0].object.key, 'Disease:MESH:D058186');
  t.deepEqual(JSON.parse(byName.out), r);
  t.regex(byName.err, /Chemical:MESH:D002945, Cisplatin/);
});

test('litmine entity shows the preferred name, synonyms, counts, co-mentions and relations for an id or a name', async (t) => {
  const { dataDir } = await setup();
  const byId = await litmine('entity', 'MESH:D002945', '--json', '--data-dir', dataDir);
  t.is(byId.code, 0, byId.err);
  const e = JSON.parse(byId.out);
  t.like(e, { key: 'Chemical:MESH:D002945', id: 'MESH:D002945', name: 'Cisplatin', type: 'Chemical', mentions: 2, documents: 2 });
  t.deepEqual(e.synonyms, ['cis-Platinum', 'CDDP']);
  t.deepEqual(
    e.coMentioned.map((b: { key: string; documents: number }) => [b.key, b.documents]),
    [['Disease:MESH:D058186', 2]],
  );
  t.is(e.relations[0].object.key, 'Disease:MESH:D058186');
  const byName = await litmine('entity', 'Cisplatin', '--json', '--data-dir', dataDir);
  t.deepEqual({ ...JSON.parse(byName.out), input: 'MESH:D002945' }, e);
});

test('litmine facets takes an id or a name and gives buckets keyed by id their preferred name', async (t) => {
  const { dataDir } = await setup();
  const byName = await litmine('facets', 'Disease', '--entity', 'cis-platinum', '--json', '--data-dir', dataDir);
  t.is(byName.code, 0, byName.err);
  t.deepEqual(JSON.parse(byName.out), [
    { key: 'Disease:MESH:D058186', text: 'nephrotoxicity', type: 'Disease', documents: 2, mentions: 2, name: 'Acute Kidney Injury' },
  ]);
  const byId = await litmine('facets', 'Disease', '--entity', 'MESH:D002945', '--json', '--data-dir', dataDir);
  t.deepEqual(JSON.parse(byId.out), JSON.parse(byName.out));
});
