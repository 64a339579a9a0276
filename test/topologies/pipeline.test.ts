import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/config-schema.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import { recordProblems } from '../../src/records/schemas.js';
import { SCHEMA_VERSION, type Annotation, type DeadLetter } from '../../src/records/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { IngestConnector } from '../../topologies/ingest.js';
import { runPipeline } from '../../topologies/pipeline.js';
import { article } from './articles.js';
import { DictionaryAnnotator } from './dictionary-annotator.js';

const config = { topics: defaultConfig.topics, log: defaultConfig.log };

function connectorOf(records: ParsedRecord[]): IngestConnector {
  return {
    source: 'files',
    async *batches() {
      yield { records, cursor: JSON.stringify({ done: records.length }), source: 'files' };
    },
  };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-pipeline-'));
  const log = openEmbeddedLog(join(dir, 'log.sqlite'));
  const store = new SqliteStore({ path: join(dir, 'store.sqlite') });
  const cursors = new Map<string, string>();
  const annotator = new DictionaryAnnotator();
  const run = (records: ParsedRecord[]) =>
    runPipeline({
      log,
      store,
      annotator,
      connectors: [connectorOf(records)],
      cursors: { set: async (s, c) => void cursors.set(s, c) },
      config,
    });
  return { dir, log, store, run, annotator, cursors };
}

const a1 = article('1001', 'Cisplatin caused nephrotoxicity in rats. Aspirin did not.');
const a2 = article('1002', 'Aspirin reduced asthma symptoms. Levels of p53 rose.');

test('articles flow through ingest, annotate and index into the store, with valid records on every topic', async (t) => {
  const { log, store, run, cursors } = setup();
  const result = await run([
    { kind: 'article', article: a1, index: 0 },
    { kind: 'article', article: a2, index: 1 },
  ]);
  t.is(result.ingest.articles, 2);
  t.is(result.annotate.articles, 2);
  t.deepEqual(result.counts, { articles: 2, sentences: 6, mentions: 6, relations: 2 });
  t.is(cursors.get('files'), JSON.stringify({ done: 2 }));

  for (const topic of Object.values(config.topics)) {
    for (const m of await log.readAll(topic)) {
      if (m.value === null) continue;
      const record = JSON.parse(m.value.toString());
      t.deepEqual(recordProblems(record), [], `${topic} record ${m.key}`);
      t.is(m.headers['litmine.schema-version'], String(SCHEMA_VERSION));
    }
  }
  const annotations = (await log.readAll(config.topics.annotations)).map((m) => JSON.parse(m.value!.toString()) as Annotation);
  const first = annotations.find((a) => a.documentId === 'pmid:1001')!;
  const abstract = a1.passages[1]!.text;
  for (const m of first.mentions) t.is(abstract.slice(m.start, m.end), m.text, 'mention offsets point into the passage');

  const rel = await store.relations({ entity: { text: 'cisplatin' } });
  t.is(rel.relations[0]?.object.text, 'nephrotoxicity');
  t.is(rel.relations[0]?.evidence[0]?.sentence, 'Cisplatin caused nephrotoxicity in rats.');
  await log.close();
  await store.close();
});

test('running the same input twice indexes nothing twice', async (t) => {
  const { log, store, run } = setup();
  const records: ParsedRecord[] = [
    { kind: 'article', article: a1, index: 0 },
    { kind: 'article', article: a2, index: 1 },
  ];
  const first = await run(records);
  const second = await run(records);
  t.deepEqual(second.counts, first.counts);
  await log.close();
  await store.close();
});

test('a delete removes the article and its annotations; a newer version replaces the older', async (t) => {
  const { log, store, run } = setup();
  await run([
    { kind: 'article', article: a1, index: 0 },
    { kind: 'article', article: a2, index: 1 },
  ]);
  const a2v2 = article('1002', 'Aspirin worsened asthma.', { version: 2 });
  const result = await run([
    {
      kind: 'delete',
      delete: { schema: 'litmine.article-delete', schemaVersion: SCHEMA_VERSION, id: 'pmid:1001', pmid: '1001' },
      index: 0,
    },
    { kind: 'article', article: a2v2, index: 1 },
  ]);
  t.is(await store.getArticle('pmid:1001'), null);
  t.is((await store.getArticle('pmid:1002'))?.version, 2);
  t.deepEqual(result.counts, { articles: 1, sentences: 2, mentions: 2, relations: 1 });
  const hits = await store.search({ text: 'nephrotoxicity', target: 'sentences' });
  t.is(hits.total, 0);
  await log.close();
  await store.close();
});

test('a record that cannot be annotated goes to the dead-letter topic and the others flow', async (t) => {
  const { log, store, run } = setup();
  const poison = article('1003', 'This sentence is POISON for the model.');
  const result = await run([
    { kind: 'article', article: a1, index: 0 },
    { kind: 'article', article: poison, index: 1 },
    { kind: 'article', article: a2, index: 2 },
  ]);
  t.is(result.annotate.deadLetters, 1);
  t.is(result.counts.articles, 3, 'the article itself is still searchable');
  t.is(result.counts.relations, 2);
  const dead = (await log.readAll(config.topics.deadLetters)).map((m) => JSON.parse(m.value!.toString()) as DeadLetter);
  t.is(dead.length, 1);
  t.is(dead[0]!.stage, 'annotate');
  t.is(dead[0]!.code, 'LITMINE_ANNOTATE');
  t.is(dead[0]!.key, 'pmid:1003');
  t.regex(dead[0]!.message, /pmid:1003.*poisoned sentence/);
  t.is(JSON.parse(Buffer.from(dead[0]!.valueBase64!, 'base64').toString()).id, 'pmid:1003');
  await log.close();
  await store.close();
});

test('an unparsable record from ingest is dead-lettered with its file and index', async (t) => {
  const { log, store, run } = setup();
  const { LitmineError } = await import('../../src/errors.js');
  const result = await run([
    { kind: 'article', article: a1, index: 0 },
    {
      kind: 'error',
      error: new LitmineError('LITMINE_PARSE_XML', 'broken.xml: record 1: unclosed tag at 3:14'),
      index: 1,
      file: 'broken.xml',
      raw: '<PubmedArticle><oops',
    },
  ]);
  t.is(result.ingest.errors, 1);
  t.is(result.counts.articles, 1);
  const [dead] = (await log.readAll(config.topics.deadLetters)).map((m) => JSON.parse(m.value!.toString()) as DeadLetter);
  t.is(dead?.stage, 'ingest');
  t.is(dead?.code, 'LITMINE_PARSE_XML');
  t.deepEqual(dead?.source, { file: 'broken.xml', index: 1 });
  t.is(Buffer.from(dead!.valueBase64!, 'base64').toString(), '<PubmedArticle><oops');
  await log.close();
  await store.close();
});
