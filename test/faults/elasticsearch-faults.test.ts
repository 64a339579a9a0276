/**
 * Elasticsearch faults under `litmine worker index` (embedded log, the suite's own Elasticsearch on
 * port 29200): the node stopped for 60 s (refused connections), SIGSTOPped for 60 s (a hung node),
 * down when the worker starts (and `litmine search` meanwhile), and the worker SIGKILLed mid-batch.
 * Each ends with every article and sentence in the store exactly once, with no manual restart.
 *
 *   npm run test:faults -- test/faults/elasticsearch-faults.test.ts
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { runLitmine, startLitmine, type TestSetup, waitFor } from '../integration/pipeline-helpers.js';
import { elasticsearchStoreIds, logCounts, report, verdict } from './fault-counts.js';
import { ES_URL, esService, sleep } from './fault-services.js';
import { annotatedTemplate, fromTemplate, indexLag, replayIndexInputs } from './fault-setup.js';

const test = anyTest as TestFn;
const OUTAGE_MS = Number(process.env.LITMINE_FAULTS_OUTAGE_MS ?? 60_000);

test.before(async () => {
  await esService.start();
  await annotatedTemplate();
});
test.after.always(async () => {
  await esService.resume().catch(() => undefined);
  await esService.stop();
});

async function prepared(): Promise<{ s: TestSetup; prefix: string; args: string[] }> {
  const prefix = `faults-${randomBytes(4).toString('hex')}`;
  const s = fromTemplate(await annotatedTemplate(), {
    store: { kind: 'elasticsearch', elasticsearch: { node: ES_URL, serverMajor: 7, indexPrefix: prefix } },
  });
  return { s, prefix, args: ['--data-dir', s.dir, '--config', s.config] };
}

async function storedArticles(prefix: string): Promise<number> {
  try {
    const res = await fetch(`${ES_URL}/${prefix}-articles/_count`);
    return res.ok ? ((await res.json()) as { count: number }).count : 0;
  } catch {
    return 0;
  }
}

async function outcome(s: TestSetup, prefix: string) {
  const log = openEmbeddedLog(join(s.dir, 'log.sqlite'));
  try {
    return verdict(await logCounts(log, s.topics), await elasticsearchStoreIds(ES_URL, prefix));
  } finally {
    await log.close();
  }
}

/** Starts a worker, lets it index a little, applies the fault, and waits for it to finish by itself. */
async function underWorker(t: ExecutionContext, fault: string, inject: () => Promise<void>, heal: () => Promise<void>) {
  const { s, prefix, args } = await prepared();
  const worker = startLitmine(['worker', 'index', '--batch', '5', '--id', 'faulty', ...args]);
  try {
    await waitFor('the first indexed articles', async () => (await storedArticles(prefix)) >= 5, 120_000);
    await inject();
    // However fast the worker was, it has work left while the fault lasts.
    await replayIndexInputs(s);
    const lagAtFault = await indexLag(s);
    const faultAt = Date.now();
    await sleep(OUTAGE_MS);
    await heal();
    const healedAt = Date.now();
    await waitFor('the worker to catch up by itself', async () => (await indexLag(s)) === 0, 180_000);
    const recoverySeconds = (Date.now() - healedAt) / 1000;
    worker.process.kill('SIGTERM');
    const code = await worker.exit;
    t.is(code, 0, worker.stderr());
    t.true(lagAtFault > 0, 'the fault hit a worker with work left');
    const v = await outcome(s, prefix);
    t.is(v.lost, 0);
    t.is(v.duplicated, 0);
    t.is(v.stored, v.expected);
    t.is(v.sentencesStored, v.sentencesExpected);
    report(fault, { ...v, lagAtFault, outageSeconds: (healedAt - faultAt) / 1000, recoverySeconds });
    t.log(JSON.stringify({ ...v, lagAtFault, recoverySeconds }));
    return { v, stderr: worker.stderr() };
  } finally {
    worker.process.kill('SIGKILL');
  }
}

test.serial('elasticsearch stopped for 60 s under a running index worker: it waits, says so, and finishes by itself', async (t) => {
  const { stderr } = await underWorker(
    t,
    'Elasticsearch stopped 60 s under `worker index`',
    () => esService.stop(),
    () => esService.start(),
  );
  t.regex(stderr, /LITMINE_STORE_UNAVAILABLE: elasticsearch 127\.0\.0\.1:\d+: .*ECONNREFUSED.* — retry \d+ in [\d.]+ s/);
  t.regex(stderr, /recovered after [\d.]+ s/);
});

test.serial('elasticsearch SIGSTOPped for 60 s (a hung node) under a running index worker', async (t) => {
  await underWorker(
    t,
    'Elasticsearch SIGSTOPped 60 s under `worker index`',
    () => esService.pause(),
    () => esService.resume(),
  );
});

test.serial(
  'elasticsearch down when the worker starts: it waits visibly; search fails with LITMINE_STORE_UNAVAILABLE and writes nothing',
  async (t) => {
    const { s, prefix, args } = await prepared();
    await esService.stop();
    let worker: ReturnType<typeof startLitmine> | undefined;
    try {
      const search = await runLitmine(['search', 'cancer', ...args]);
      t.is(search.code, 1, search.output);
      t.regex(
        search.output,
        /litmine search: LITMINE_STORE_UNAVAILABLE: elasticsearch 127\.0\.0\.1:\d+: read aliases failed: .*ECONNREFUSED/,
      );
      worker = startLitmine(['worker', 'index', '--id', 'early', ...args]);
      await waitFor('two visible retries', () => (worker!.stderr().match(/retry \d+ in/g) ?? []).length >= 2, 120_000);
      t.is(worker.process.exitCode, null, 'still running');
      await esService.start();
      const upAt = Date.now();
      await waitFor('the worker to index everything', async () => (await indexLag(s)) === 0, 180_000);
      const recoverySeconds = (Date.now() - upAt) / 1000;
      worker.process.kill('SIGTERM');
      t.is(await worker.exit, 0, worker.stderr());
      const v = await outcome(s, prefix);
      t.is(v.lost, 0);
      t.is(v.duplicated, 0);
      t.is(v.stored, v.expected);
      t.is(v.sentencesStored, v.sentencesExpected);
      // search reads: after the outage it answers, and it created nothing of its own.
      const after = await runLitmine(['search', 'cancer', ...args]);
      t.is(after.code, 0, after.output);
      report('Elasticsearch down when `worker index` starts', { ...v, recoverySeconds });
    } finally {
      worker?.process.kill('SIGKILL');
      await esService.start();
    }
  },
);

test.serial('the index worker SIGKILLed mid-batch and started again: every article and sentence once', async (t) => {
  const { s, prefix, args } = await prepared();
  const worker = startLitmine(['worker', 'index', '--batch', '5', '--id', 'killed', ...args]);
  await waitFor('the first indexed articles', async () => (await storedArticles(prefix)) >= 5, 120_000);
  // However fast the worker was, it has work left when it is killed.
  await replayIndexInputs(s);
  worker.process.kill('SIGKILL');
  await worker.exit;
  const lagAtKill = await indexLag(s);
  const t0 = Date.now();
  const again = await runLitmine(['worker', 'index', '--until-idle', '--id', 'killed', ...args]);
  t.is(again.code, 0, again.output);
  t.is(await indexLag(s), 0);
  const v = await outcome(s, prefix);
  t.true(lagAtKill > 0);
  t.is(v.lost, 0);
  t.is(v.duplicated, 0);
  t.is(v.stored, v.expected);
  t.is(v.sentencesStored, v.sentencesExpected);
  report('SIGKILL of `worker index` mid-batch (Elasticsearch), restart', { ...v, lagAtKill, rerunSeconds: (Date.now() - t0) / 1000 });
});
