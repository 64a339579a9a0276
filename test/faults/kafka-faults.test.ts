/**
 * Kafka broker faults (the suite's own broker on port 29092) under `litmine worker annotate` and
 * `litmine worker index`: a 10 s restart and a 60 s outage of the only broker, each hitting both
 * workers mid-stream; and a record over the size limit among good ones. Counted by document id on
 * the annotations topic (read_committed) and in the store: every article exactly once, with no
 * manual restart of any worker.
 *
 *   npm run test:faults -- test/faults/kafka-faults.test.ts
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { KafkaLog } from '../../src/log/kafka-log.js';
import { ANNOTATE_GROUP } from '../../topologies/annotate.js';
import { INDEX_GROUP } from '../../topologies/index.js';
import { ABSTRACTS_XML, runLitmine, setupDataDir, startLitmine, type TestSetup, waitFor } from '../integration/pipeline-helpers.js';
import { oversizedInput } from './fault-inputs.js';
import { logCounts, report, sqliteStoreIds, verdict } from './fault-counts.js';
import { KAFKA_BROKERS, kafkaService, sleep } from './fault-services.js';

const test = anyTest as TestFn;
const OUTAGE_MS = Number(process.env.LITMINE_FAULTS_OUTAGE_MS ?? 60_000);
const env = { LITMINE_KAFKA_BROKERS: KAFKA_BROKERS };

test.before(async () => {
  await kafkaService.start();
});
test.after.always(async () => {
  await kafkaService.stop();
});

const kafka = () => new KafkaLog({ brokers: [KAFKA_BROKERS], clientId: 'litmine-faults', logLevel: 'nothing' });

async function withKafka<T>(fn: (log: KafkaLog) => Promise<T>): Promise<T> {
  const log = kafka();
  try {
    return await fn(log);
  } finally {
    await log.close();
  }
}

const lagOf = (group: string, topics: string[]) =>
  withKafka(async (log) => (await log.lag(group, topics)).reduce((n, p) => n + p.lag, 0)).catch(() => Number.NaN);

function kafkaSetup(): { s: TestSetup; args: string[] } {
  const s = setupDataDir({ log: { kind: 'kafka', kafka: { brokers: [KAFKA_BROKERS], partitions: 3 } } });
  return { s, args: ['--data-dir', s.dir, '--config', s.config] };
}

interface Fault {
  name: string;
  inject(): Promise<void>;
}

const restart10s: Fault = {
  name: 'broker restarted (10 s)',
  async inject() {
    await kafkaService.stop();
    await sleep(10_000);
    await kafkaService.start();
  },
};
const down60s: Fault = {
  name: 'broker down 60 s',
  async inject() {
    await kafkaService.stop();
    await sleep(OUTAGE_MS);
    await kafkaService.start();
  },
};

/** A worker runs; once it has made progress (`started`), the fault; then it must finish by itself. */
async function faultUnder(
  t: ExecutionContext,
  stage: 'annotate' | 'index',
  s: TestSetup,
  args: string[],
  fault: Fault,
  started: () => Promise<boolean>,
) {
  const group = stage === 'annotate' ? ANNOTATE_GROUP : INDEX_GROUP;
  const topics = stage === 'annotate' ? [s.topics.articles] : [s.topics.articles, s.topics.annotations];
  const worker = startLitmine(['worker', stage, '--batch', stage === 'annotate' ? '8' : '1', '--id', `faulty-${stage}`, ...args], env);
  try {
    await waitFor(`${stage} to make progress`, started, 240_000);
    const lagAtFault = await lagOf(group, topics);
    const t0 = Date.now();
    await fault.inject();
    const upAt = Date.now();
    await waitFor(`${stage} to catch up by itself`, async () => (await lagOf(group, topics)) === 0, 300_000);
    const recoverySeconds = (Date.now() - upAt) / 1000;
    t.is(worker.process.exitCode, null, `the ${stage} worker is still running: ${worker.stderr()}`);
    worker.process.kill('SIGTERM');
    t.is(await worker.exit, 0, worker.stderr());
    t.true(lagAtFault > 0, `the fault hit ${stage} with work left`);
    return { lagAtFault, outageSeconds: (upAt - t0) / 1000, recoverySeconds, stderr: worker.stderr() };
  } catch (err) {
    throw new Error(`${(err as Error).message}; ${stage} worker said: ${worker.stderr().slice(-3000)}`);
  } finally {
    worker.process.kill('SIGKILL');
  }
}

async function annotationsCommitted(s: TestSetup): Promise<number> {
  return withKafka(async (log) => (await log.readAll(s.topics.annotations, { readCommitted: true })).length).catch(() => 0);
}

async function bothWorkers(t: ExecutionContext, annotateFault: Fault, indexFault: Fault) {
  const { s, args } = kafkaSetup();
  const from = ABSTRACTS_XML().flatMap((p) => ['--from', p]);
  const ingest = await runLitmine(['ingest', ...args, ...from], env);
  t.is(ingest.code, 0, ingest.output);
  const a = await faultUnder(t, 'annotate', s, args, annotateFault, async () => (await annotationsCommitted(s)) >= 16);
  // Indexing is quick (one record per batch here): the fault goes in as soon as a few are committed.
  const indexTopics = [s.topics.articles, s.topics.annotations];
  const toIndex = await lagOf(INDEX_GROUP, indexTopics);
  const i = await faultUnder(t, 'index', s, args, indexFault, async () => (await lagOf(INDEX_GROUP, indexTopics)) < toIndex - 2);
  const c = await withKafka((log) => logCounts(log, s.topics));
  const v = verdict(c, sqliteStoreIds(s.dir));
  t.is(v.lost, 0);
  t.is(v.duplicated, 0, 'each article annotated exactly once (read_committed)');
  t.is(v.stored, v.expected);
  t.is(v.sentencesStored, v.sentencesExpected);
  t.is(v.deadLettered, 0);
  report(`Kafka ${annotateFault.name} during \`worker annotate\``, { ...v, ...a, stderr: undefined });
  report(`Kafka ${indexFault.name} during \`worker index\``, { ...v, ...i, stderr: undefined });
  t.log(JSON.stringify({ v, annotate: { ...a, stderr: undefined }, index: { ...i, stderr: undefined } }));
  await withKafka((log) => log.deleteTopics(Object.values(s.topics))).catch(() => undefined);
  return { a, i };
}

test.serial('Kafka restarted (10 s) under annotate, then down 60 s under index: both ride it out, exactly once', async (t) => {
  const { i } = await bothWorkers(t, restart10s, down60s);
  t.regex(i.stderr, /LITMINE_LOG_UNAVAILABLE/);
});

test.serial('Kafka down 60 s under annotate, then restarted (10 s) under index: both ride it out, exactly once', async (t) => {
  const { a } = await bothWorkers(t, down60s, restart10s);
  t.regex(a.stderr, /LITMINE_LOG_UNAVAILABLE|retry \d+ in/);
});

test.serial('Kafka: a 50 MB record among good ones is dead-lettered at ingest; the rest reaches the topic once', async (t) => {
  const { path, ids, index, victim, cleanup } = await oversizedInput();
  const { s, args } = kafkaSetup();
  try {
    const ingest = await runLitmine(['ingest', ...args, '--from', path], env);
    t.is(ingest.code, 0, ingest.output);
    const c = await withKafka((log) => logCounts(log, s.topics));
    t.deepEqual([...c.expected].sort(), ids.filter((id) => id !== victim).sort());
    t.is(c.deadLetters.length, 1);
    t.is(c.deadLetters[0]!.code, 'LITMINE_RECORD_TOO_LARGE');
    t.true(c.deadLetters[0]!.message.includes(`record ${index} (<PubmedArticle> PMID ${victim.slice(5)})`), c.deadLetters[0]!.message);
    report('a 50 MB record among 182 good ones (Kafka)', {
      expected: ids.length - 1,
      ingested: c.expected.size,
      deadLettered: c.deadLetters.length,
      lost: 0,
    });
  } finally {
    cleanup();
    await withKafka((log) => log.deleteTopics(Object.values(s.topics))).catch(() => undefined);
  }
});
