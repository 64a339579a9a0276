/**
 * The Kafka log against a real broker (integration tier): the log contract, then exactly-once
 * under a crash — a transactional worker SIGKILLed with a transaction open, restarted, and checked
 * through read_committed readers. Skipped unless LITMINE_KAFKA_BROKERS is set.
 *
 *   scripts/kafka.sh start && LITMINE_KAFKA_BROKERS=127.0.0.1:19092 npx ava --serial test/integration/kafka-log.test.ts
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaLog } from '../../src/log/kafka-log.js';
import { type LogHarness, logContract, uniqueSuffix } from '../log/log-contract.js';

const brokers = process.env.LITMINE_KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];
const enabled = brokers.length > 0;
if (!enabled && process.env.LITMINE_INTEGRATION === '1') {
  console.warn('kafka-log.test.ts: LITMINE_KAFKA_BROKERS is not set; start scripts/kafka.sh and set it to run these tests');
}

const here = dirname(fileURLToPath(import.meta.url));
const open = () => new KafkaLog({ brokers, clientId: 'litmine-test', logLevel: 'nothing' });

logContract(
  'kafka',
  async (): Promise<LogHarness> => {
    const suffix = uniqueSuffix();
    const topics = new Set<string>();
    return {
      open: async () => open(),
      name: (base) => {
        const name = `test.${base}.${suffix}`;
        if (base.startsWith('t')) topics.add(name);
        return name;
      },
      cleanup: async () => {
        const log = open();
        try {
          await log.deleteTopics([...topics]);
        } finally {
          await log.close();
        }
      },
    };
  },
  { skip: !enabled, retry: { initialMs: 50, maxMs: 200 } },
);

const it = enabled ? test.serial : test.skip;

it('kafka log: a transactional worker killed mid-transaction leaves no duplicates; its restart completes', async (t) => {
  const suffix = uniqueSuffix();
  const input = `test.crash-in.${suffix}`;
  const output = `test.crash-out.${suffix}`;
  const group = `test.crash.${suffix}`;
  const log = open();
  const n = 60;
  try {
    await log.ensureTopics([
      { name: input, partitions: 2, cleanup: 'delete' },
      { name: output, partitions: 2, cleanup: 'delete' },
    ]);
    await log.produce(Array.from({ length: n }, (_, i) => ({ topic: input, key: `doc${i}`, value: Buffer.from(`v${i}`) })));

    // The worker hangs inside its 3rd batch after sending that batch's outputs, with the transaction
    // open; the parent then SIGKILLs it. The restart uses the same workerId (same transactional id).
    const worker = join(here, 'kafka-tx-worker.ts');
    const run = (hangAfter: number) =>
      spawn(process.execPath, ['--import=tsx', worker], {
        env: {
          ...process.env,
          LITMINE_KAFKA_BROKERS: brokers.join(','),
          CRASH_INPUT: input,
          CRASH_OUTPUT: output,
          CRASH_GROUP: group,
          CRASH_HANG_AFTER: String(hangAfter),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
    const first = run(3);
    let stdout = '';
    first.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const hung = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 120_000);
      first.stdout.on('data', () => {
        if (stdout.includes('HANGING')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      first.on('exit', () => {
        clearTimeout(timer);
        resolve(stdout.includes('HANGING'));
      });
    });
    t.true(hung, `worker reached the open transaction (stdout: ${stdout})`);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    // The uncommitted outputs are on the log (read_uncommitted shows them) but not committed.
    const uncommitted = await log.readAll(output, { readCommitted: false });
    const committedOutputs = () => log.readAll(output).then((ms) => ms.map((m) => m.value!.toString()));
    t.true(uncommitted.length > 0, 'the killed transaction had written outputs');

    const second = run(0);
    let out2 = '';
    second.stdout.on('data', (d: Buffer) => (out2 += d.toString()));
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    t.is(code, 0, `restarted worker finished (stdout: ${out2})`);

    const values = await committedOutputs();
    t.is(values.length, n, 'every input produced exactly one committed output');
    t.is(new Set(values).size, n, 'no duplicates for read_committed readers');
    const lag = await log.lag(group, [input]);
    t.is(
      lag.reduce((s, l) => s + l.lag, 0),
      0,
    );
    // The aborted transaction's records are still physically there for read_uncommitted readers.
    t.true((await log.readAll(output, { readCommitted: false })).length > n);
  } finally {
    await log.deleteTopics([input, output]).catch(() => undefined);
    await log.close();
  }
});

it('kafka log: a batch longer than the session timeout keeps its membership through heartbeat()', async (t) => {
  const suffix = uniqueSuffix();
  const input = `test.slow.${suffix}`;
  // The broker's minimum session timeout is 6 s; the handler works 9 s, heartbeating every 0.5 s.
  const log = new KafkaLog({ brokers, clientId: 'litmine-test', logLevel: 'nothing', sessionTimeoutMs: 6000 });
  try {
    await log.ensureTopics([{ name: input, partitions: 1, cleanup: 'delete' }]);
    await log.produce(Array.from({ length: 4 }, (_, i) => ({ topic: input, key: `k${i}`, value: Buffer.from(`v${i}`) })));
    const calls = new Map<string, number>();
    const result = await log.process({
      group: `test.slow.${suffix}`,
      topics: [input],
      untilIdle: true,
      handler: async (batch, ctx) => {
        for (const m of batch) calls.set(m.offset, (calls.get(m.offset) ?? 0) + 1);
        for (let i = 0; i < 18; i++) {
          await new Promise((r) => setTimeout(r, 500));
          await ctx.heartbeat();
        }
        return [];
      },
    });
    t.is(result.messages, 4);
    // A lost membership would fail the offset commit and hand the batch out again.
    t.deepEqual([...calls.values()], [1, 1, 1, 1]);
    t.is((await log.lag(`test.slow.${suffix}`, [input]))[0]!.lag, 0);
  } finally {
    await log.deleteTopics([input]).catch(() => undefined);
    await log.close();
  }
});

it('kafka log: two transactional workers joining mid-run split the work exactly once', async (t) => {
  const suffix = uniqueSuffix();
  const input = `test.two-in.${suffix}`;
  const output = `test.two-out.${suffix}`;
  const group = `test.two.${suffix}`;
  const log = open();
  const workers = [open(), open()];
  try {
    await log.ensureTopics([
      { name: input, partitions: 4, cleanup: 'delete' },
      { name: output, partitions: 2, cleanup: 'delete' },
    ]);
    await log.produce(Array.from({ length: 400 }, (_, i) => ({ topic: input, key: `k${i}`, value: Buffer.from(`v${i}`) })));
    const run = (i: number) =>
      workers[i]!.process({
        group,
        topics: [input],
        untilIdle: true,
        transactional: true,
        workerId: `w${i}`,
        maxBatchSize: 10,
        handler: async (batch, ctx) => {
          await new Promise((r) => setTimeout(r, 30));
          // The heartbeat is where a worker learns of the rebalance the second worker causes.
          await ctx.heartbeat();
          return batch.map((m) => ({ topic: output, key: m.key, value: m.value }));
        },
      });
    const results = await Promise.all([run(0), new Promise((r) => setTimeout(r, 1500)).then(() => run(1))]);
    t.is(
      results.reduce((n, r) => n + r.produced, 0),
      400,
    );
    const outs = await log.readAll(output);
    t.is(outs.length, 400);
    t.is(new Set(outs.map((m) => m.value!.toString())).size, 400);
    t.is(
      (await log.lag(group, [input])).reduce((n, l) => n + l.lag, 0),
      0,
    );
  } finally {
    await log.deleteTopics([input, output]).catch(() => undefined);
    await Promise.all([log, ...workers].map((l) => l.close()));
  }
});

it('kafka log: process rejects unknown topics with LITMINE_LOG_PROTOCOL', async (t) => {
  const log = open();
  try {
    const err = await t.throwsAsync(log.process({ group: 'g', topics: [`test.none.${uniqueSuffix()}`], handler: async () => [] }));
    t.is((err as { code?: string }).code, 'LITMINE_LOG_PROTOCOL');
  } finally {
    await log.close();
  }
});
