/**
 * `litmine search --section`: only matches in passages of that section (or under it), for
 * sentences and for articles; an empty value is a usage error. Records are the store fixtures.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { litmine } from '../pipeline/cli-io.js';
import { DOC_C, corpusOps } from '../store/store-fixtures.js';

test('litmine search --section keeps the matches of a section', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'litmine-section-'));
  const store = new SqliteStore({ path: join(dataDir, 'store.sqlite') });
  await store.init();
  await store.apply(corpusOps());
  await store.close();
  const sentences = await litmine('search', 'pannexin1', '--sentences', '--section', 'Results', '--json', '--data-dir', dataDir);
  t.is(sentences.code, 0, sentences.err);
  t.deepEqual(
    JSON.parse(sentences.out).hits.map((h: { sentence: { text: string } }) => h.sentence.text),
    ['In neurons, pannexin1 localizes to the postsynaptic density.'],
  );
  const articles = await litmine('search', 'pannexin1', '--section', 'results', '--json', '--data-dir', dataDir);
  t.deepEqual(
    JSON.parse(articles.out).hits.map((h: { documentId: string }) => h.documentId),
    [DOC_C.id],
  );
  const none = await litmine('search', 'pannexin1', '--section', 'Methods', '--json', '--data-dir', dataDir);
  t.is(JSON.parse(none.out).total, 0);
  const empty = await litmine('search', 'pannexin1', '--section', ' ', '--data-dir', dataDir);
  t.is(empty.code, 2);
  t.regex(empty.err, /--section needs a value/);
});
