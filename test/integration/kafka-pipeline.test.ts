/**
 * The whole pipeline on a real Kafka broker (integration tier), driven through the `litmine`
 * command as operators run it: same store as on the embedded log; a worker SIGKILLed mid-batch and
 * restarted annotates every article exactly once; a poison record goes to the dead-letter topic and
 * the rest flows; two workers share the partitions and a stopped one hands over without loss.
 * Skipped unless LITMINE_KAFKA_BROKERS is set (scripts/kafka.sh start).
 */
import test from 'ava';
import { KafkaLog } from '../../src/log/kafka-log.js';
import type { Annotation, DeadLetter } from '../../src/records/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { join } from 'node:path';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { ABSTRACTS_XML, runLitmine, SMALL_XML, setupDataDir, startLitmine, type TestSetup, waitFor } from './pipeline-helpers.js';

const brokers = process.env.LITMINE_KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];
const it = brokers.length > 0 && hasSharedData ? test.serial : test.skip;
const env = { LITMINE_KAFKA_BROKERS: brokers.join(',') };
const kafka = () => new KafkaLog({ brokers, clientId: 'litmine-it', logLevel: 'nothing' });
const from = () => SMALL_XML().flatMap((p) => ['--from', p]);
const abstracts = () => ABSTRACTS_XML().flatMap((p) => ['--from', p]);

async function storeSnapshot(dir: string) {
  const store = new SqliteStore({ path: join(dir, 'store.sqlite') });
  await store.init();
  const counts = await store.counts();
  const relations = await store.relations({ limit: 1000, evidencePerRelation: 1000 });
  await store.close();
  const evidence = relations.relations.flatMap((g) => g.evidence.map((e) => e.relationId)).sort();
  return { counts, evidence };
}

/** Annotations on a topic, read_committed, with each document's number of copies. */
async function annotationCopies(topic: string): Promise<Map<string, number>> {
  const log = kafka();
  try {
    const copies = new Map<string, number>();
    for (const m of await log.readAll(topic, { readCommitted: true })) {
      if (m.value === null) continue;
      const a = JSON.parse(m.value.toString()) as Annotation;
      copies.set(a.documentId, (copies.get(a.documentId) ?? 0) + 1);
    }
    return copies;
  } finally {
    await log.close();
  }
}

/** How many non-null article messages each key has: an article sent twice is annotated twice. */
async function articleCopies(topic: string): Promise<Map<string, number>> {
  const log = kafka();
  try {
    const copies = new Map<string, number>();
    for (const m of await log.readAll(topic)) if (m.value !== null && m.key) copies.set(m.key, (copies.get(m.key) ?? 0) + 1);
    return copies;
  } finally {
    await log.close();
  }
}

const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

async function dropTopics(s: TestSetup): Promise<void> {
  const log = kafka();
  await log.deleteTopics(Object.values(s.topics)).catch(() => undefined);
  await log.close();
}

it('ingest → annotate → index on Kafka gives the same store as on the embedded log', async (t) => {
  const onKafka = setupDataDir({ log: { kind: 'kafka', kafka: { partitions: 3 } } });
  const embedded = setupDataDir();
  try {
    const k = await runLitmine(['run', '--data-dir', onKafka.dir, '--config', onKafka.config, ...from()], env);
    t.is(k.code, 0, k.output);
    const e = await runLitmine(['run', '--data-dir', embedded.dir, '--config', embedded.config, ...from()]);
    t.is(e.code, 0, e.output);
    const a = await storeSnapshot(onKafka.dir);
    const b = await storeSnapshot(embedded.dir);
    t.true(a.counts.articles > 150, JSON.stringify(a.counts));
    t.true(a.counts.mentions > 100, JSON.stringify(a.counts));
    t.deepEqual(a.counts, b.counts);
    t.deepEqual(a.evidence, b.evidence);
  } finally {
    await dropTopics(onKafka);
  }
});

it('a worker SIGKILLed mid-batch and restarted annotates every article exactly once (topic and store)', async (t) => {
  const s = setupDataDir({ log: { kind: 'kafka', kafka: { partitions: 3 } } });
  try {
    const ingest = await runLitmine(['ingest', '--data-dir', s.dir, '--config', s.config, ...abstracts()], env);
    t.is(ingest.code, 0, ingest.output);
    const expected = await articleCopies(s.topics.articles);
    const articles = expected.size;

    const worker = startLitmine(['worker', 'annotate', '--data-dir', s.dir, '--config', s.config, '--id', 'w1', '--batch', '8'], env);
    // Kill it once some batches are committed and others are in flight.
    await waitFor('the first committed annotations', async () => (await annotationCopies(s.topics.annotations)).size >= 16, 180_000);
    worker.process.kill('SIGKILL');
    await worker.exit;
    const partial = await annotationCopies(s.topics.annotations);
    t.true(partial.size < articles, `killed before the end (${partial.size}/${articles})`);

    const restarted = await runLitmine(
      ['worker', 'annotate', '--data-dir', s.dir, '--config', s.config, '--id', 'w1', '--until-idle'],
      env,
    );
    t.is(restarted.code, 0, restarted.output);
    const copies = await annotationCopies(s.topics.annotations);
    t.deepEqual(sorted(copies), sorted(expected), 'each article message annotated exactly once (read_committed)');

    const index = await runLitmine(['worker', 'index', '--data-dir', s.dir, '--config', s.config, '--until-idle'], env);
    t.is(index.code, 0, index.output);
    const { counts } = await storeSnapshot(s.dir);
    t.is(counts.articles, articles);
  } finally {
    await dropTopics(s);
  }
});

it('a poison record goes to the dead-letter topic and everything after it flows', async (t) => {
  const s = setupDataDir({ log: { kind: 'kafka', kafka: { partitions: 1 } } });
  try {
    const ingest = await runLitmine(
      ['ingest', '--data-dir', s.dir, '--config', s.config, '--from', sharedPath('pubmed-xml', 'biopython')],
      env,
    );
    t.is(ingest.code, 0, ingest.output);
    const log = kafka();
    try {
      await log.produce([{ topic: s.topics.articles, key: 'pmid:1', value: Buffer.from('{"schema":"litmine.article", not json') }]);
    } finally {
      await log.close();
    }
    const more = await runLitmine(
      ['ingest', '--data-dir', s.dir, '--config', s.config, '--from', sharedPath('pubmed-xml', 'factoid')],
      env,
    );
    t.is(more.code, 0, more.output);
    const run = await runLitmine(['worker', 'annotate', '--data-dir', s.dir, '--config', s.config, '--until-idle'], env);
    t.is(run.code, 0, run.output);

    const reader = kafka();
    try {
      const dead = (await reader.readAll(s.topics.deadLetters)).map((m) => JSON.parse(m.value!.toString()) as DeadLetter);
      const poison = dead.filter((d) => d.key === 'pmid:1');
      t.is(poison.length, 1);
      t.is(poison[0]!.stage, 'annotate');
      t.is(poison[0]!.code, 'LITMINE_RECORD_INVALID');
      t.is(Buffer.from(poison[0]!.valueBase64!, 'base64').toString(), '{"schema":"litmine.article", not json');
      const articles = (await reader.readAll(s.topics.articles)).filter((m) => m.value !== null && m.key !== 'pmid:1');
      const annotated = await annotationCopies(s.topics.annotations);
      t.is(annotated.size, new Set(articles.map((m) => m.key)).size, 'every article after the poison one was annotated');
    } finally {
      await reader.close();
    }
  } finally {
    await dropTopics(s);
  }
});

it('two workers share the partitions; stopping one hands its partitions to the other without loss', async (t) => {
  const s = setupDataDir({ log: { kind: 'kafka', kafka: { partitions: 4 } } });
  try {
    const ingest = await runLitmine(['ingest', '--data-dir', s.dir, '--config', s.config, ...abstracts()], env);
    t.is(ingest.code, 0, ingest.output);
    const w1 = startLitmine(['worker', 'annotate', '--data-dir', s.dir, '--config', s.config, '--id', 'a', '--batch', '8'], env);
    const w2 = startLitmine(['worker', 'annotate', '--data-dir', s.dir, '--config', s.config, '--id', 'b', '--batch', '8'], env);
    await waitFor('both workers to produce', async () => (await annotationCopies(s.topics.annotations)).size >= 24, 180_000);
    w2.process.kill('SIGTERM');
    t.is(await w2.exit, 0, `a stopped worker leaves cleanly:\n${w2.stderr()}`);
    const expected = await articleCopies(s.topics.articles);
    const articles = expected.size;
    await waitFor(
      'the remaining worker to finish every partition',
      async () => (await annotationCopies(s.topics.annotations)).size >= articles,
      300_000,
    );
    w1.process.kill('SIGTERM');
    t.is(await w1.exit, 0, w1.stderr());
    const copies = await annotationCopies(s.topics.annotations);
    t.deepEqual(sorted(copies), sorted(expected));
    t.regex(w2.stderr(), /SIGTERM received/);
  } finally {
    await dropTopics(s);
  }
});
