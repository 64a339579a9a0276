/**
 * A data directory with a tiny normalization dictionary (a MeSH-format table written here, at
 * data/vocab/dictionary.sqlite as `litmine vocab build` leaves it) and an embedded store whose
 * mentions were normalized with it, for the server's and the CLI's dictionary-name tests.
 *
 *   const { dataDir, dictionaryFile, store } = await normalizedStore();
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Normalizer } from '../../src/norm/normalizer.js';
import { DEFAULT_WEIGHTS } from '../../src/norm/ranker.js';
import { annotateArticles } from '../../src/stages/annotate-articles.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';
import { DictionaryAnnotator } from '../topologies/dictionary-annotator.js';
import { article } from '../topologies/articles.js';

export const ARTICLES = [
  article('9001', 'Cisplatin caused nephrotoxicity in rats.'),
  article('9002', 'Rats given cisplatin developed nephrotoxicity.'),
  article('9003', 'Cisplatin was given to mice.'),
];

export async function normalizedStore(): Promise<{ dataDir: string; dictionaryFile: string; store: SqliteStore }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'litmine-names-'));
  const vocab = join(dataDir, 'staged');
  mkdirSync(vocab);
  writeFileSync(
    join(vocab, 'mesh_id_label_mappings.tsv'),
    'D002945\tCisplatin\tcis-Platinum|CDDP\tD01.210.375\t\nD058186\tAcute Kidney Injury\tNephrotoxicity\tC12.050.351.968.419.780.050\t\n',
  );
  const dictionaryFile = join(dataDir, 'vocab', 'dictionary.sqlite');
  await buildDictionary({ from: [vocab], out: dictionaryFile });
  const normalizer = new Normalizer(Dictionary.open(dictionaryFile), DEFAULT_WEIGHTS);
  const base = new DictionaryAnnotator();
  const annotator = Object.assign(Object.create(Object.getPrototypeOf(base)), base, { normalizer });
  const annotations = await annotateArticles(ARTICLES, annotator);
  normalizer.dict.close();
  const store = new SqliteStore({ path: join(dataDir, 'store.sqlite') });
  await store.init();
  await store.apply(
    ARTICLES.flatMap((a, i) => [
      { op: 'upsertArticle' as const, article: a },
      { op: 'upsertAnnotation' as const, annotation: annotations[i]! },
    ]),
  );
  return { dataDir, dictionaryFile, store };
}
