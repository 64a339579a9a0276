/**
 * The embedded SQLite log: the log contract (unit tier, no services) plus what only it has —
 * several clients on one file, leases, the space compaction gives back.
 *
 *   npx ava test/log/embedded-log.test.ts
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LitmineError } from '../../src/errors.js';
import { EmbeddedLog, openEmbeddedLog } from '../../src/log/embedded-log.js';
import { leaseHolderDead } from '../../src/log/lease-owner.js';
import { type LogHarness, logContract } from './log-contract.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'litmine-log-'));
}

logContract(
  'embedded',
  async (): Promise<LogHarness> => {
    const dir = tempDir();
    const path = join(dir, 'log.sqlite');
    return {
      open: async () => openEmbeddedLog(path, { pollMs: 20 }),
      name: (base) => base,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  { compactsInCall: true },
);

const buf = (s: string) => Buffer.from(s);

test('two clients on one file split the partitions and process each message once', async (t) => {
  const dir = tempDir();
  const path = join(dir, 'log.sqlite');
  const a = new EmbeddedLog({ path, pollMs: 10 });
  const b = new EmbeddedLog({ path, pollMs: 10 });
  try {
    await a.ensureTopics([
      { name: 'in', partitions: 4, cleanup: 'delete' },
      { name: 'out', partitions: 1, cleanup: 'delete' },
    ]);
    await a.produce(Array.from({ length: 200 }, (_, i) => ({ topic: 'in', key: `k${i}`, value: buf(`v${i}`) })));
    const handler = (who: string) => async (batch: { key: string | null; value: Buffer | null }[]) => {
      await new Promise((r) => setTimeout(r, 5)); // let the other client interleave
      return batch.map((m) => ({ topic: 'out', key: m.key, value: buf(`${who}:${m.value}`) }));
    };
    const [ra, rb] = await Promise.all([
      a.process({ group: 'g', topics: ['in'], untilIdle: true, maxBatchSize: 10, workerId: 'a', handler: handler('a') }),
      b.process({ group: 'g', topics: ['in'], untilIdle: true, maxBatchSize: 10, workerId: 'b', handler: handler('b') }),
    ]);
    t.is(ra.messages + rb.messages, 200);
    const outs = await a.readAll('out');
    t.is(outs.length, 200);
    const values = new Set(outs.map((m) => m.value!.toString().split(':')[1]));
    t.is(values.size, 200, 'no message processed twice');
    t.is(
      (await b.lag('g', ['in'])).reduce((s, l) => s + l.lag, 0),
      0,
    );
  } finally {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a commit over an offset another worker already moved is discarded', async (t) => {
  const dir = tempDir();
  const path = join(dir, 'log.sqlite');
  // A lease so short that a slow handler loses it, as a stalled worker would.
  const slow = new EmbeddedLog({ path, leaseMs: 30 });
  const fast = new EmbeddedLog({ path, leaseMs: 30 });
  try {
    await slow.ensureTopics([
      { name: 'in', partitions: 1, cleanup: 'delete' },
      { name: 'out', partitions: 1, cleanup: 'delete' },
    ]);
    await slow.produce([{ topic: 'in', key: 'k', value: buf('v') }]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowRun = slow.process({
      group: 'g',
      topics: ['in'],
      untilIdle: true,
      handler: async () => {
        await gate;
        return [{ topic: 'out', key: 'k', value: buf('slow') }];
      },
    });
    await new Promise((r) => setTimeout(r, 100)); // slow's lease expires
    const fastResult = await fast.process({
      group: 'g',
      topics: ['in'],
      untilIdle: true,
      handler: async () => [{ topic: 'out', key: 'k', value: buf('fast') }],
    });
    t.is(fastResult.messages, 1);
    release();
    const slowResult = await slowRun;
    t.is(slowResult.messages, 0, 'the stale batch was not committed');
    t.deepEqual(
      (await slow.readAll('out')).map((m) => m.value!.toString()),
      ['fast'],
    );
  } finally {
    await slow.close();
    await fast.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Cleaning itself is in the contract suite; here, the space it frees leaves the file.
const onDisk = (path: string) => statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
for (const legacy of [false, true]) {
  test(`compact gives freed pages back to the file system (${legacy ? 'file made without auto-vacuum' : 'new file'})`, async (t) => {
    const dir = tempDir();
    const path = join(dir, 'log.sqlite');
    if (legacy) {
      const db = new Database(path);
      db.exec('CREATE TABLE earlier (x)');
      db.close();
    }
    const log = openEmbeddedLog(path);
    try {
      await log.ensureTopics([{ name: 'articles', partitions: 1, cleanup: 'compact' }]);
      const big = Buffer.alloc(64 * 1024, 'x');
      for (let round = 0; round < 4; round++) {
        await log.produce(Array.from({ length: 20 }, (_, i) => ({ topic: 'articles', key: `k${i}`, value: big })));
      }
      const before = onDisk(path);
      const { removed, reclaimedBytes } = await log.compact();
      t.is(removed, 60);
      t.true(reclaimedBytes > 0);
      const after = onDisk(path);
      t.true(after < before / 2, `${after} bytes after, ${before} before`);
      t.is((await log.readAll('articles')).length, 20);
    } finally {
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('unknown topics and a closed log fail with clear codes', async (t) => {
  const dir = tempDir();
  const log = openEmbeddedLog(join(dir, 'nested', 'log.sqlite'));
  try {
    const e1 = await t.throwsAsync(log.produce([{ topic: 'nope', key: 'k', value: null }]));
    t.is((e1 as LitmineError).code, 'LITMINE_LOG_PROTOCOL');
    t.regex(e1!.message, /unknown topic nope/);
    const e2 = await t.throwsAsync(log.process({ group: 'g', topics: ['nope'], handler: async () => [] }));
    t.is((e2 as LitmineError).code, 'LITMINE_LOG_PROTOCOL');
    const e3 = await t.throwsAsync(log.ensureTopics([{ name: 'x', partitions: 0, cleanup: 'delete' }]));
    t.is((e3 as LitmineError).code, 'LITMINE_LOG_PROTOCOL');
  } finally {
    await log.close();
  }
  const e4 = await t.throwsAsync(log.readAll('x'));
  t.is((e4 as LitmineError).code, 'LITMINE_LOG_UNAVAILABLE');
  rmSync(dir, { recursive: true, force: true });
});

test('close stops a running consumer cleanly', async (t) => {
  const dir = tempDir();
  const log = openEmbeddedLog(join(dir, 'log.sqlite'), { pollMs: 10 });
  await log.ensureTopics([{ name: 'in', partitions: 1, cleanup: 'delete' }]);
  const running = log.process({ group: 'g', topics: ['in'], handler: async () => [] });
  await new Promise((r) => setTimeout(r, 50));
  await log.close();
  const result = await running;
  t.is(result.messages, 0);
  rmSync(dir, { recursive: true, force: true });
});

test('a retriable error gives up after maxAttempts', async (t) => {
  const dir = tempDir();
  const log = openEmbeddedLog(join(dir, 'log.sqlite'));
  try {
    await log.ensureTopics([{ name: 'in', partitions: 1, cleanup: 'delete' }]);
    await log.produce([{ topic: 'in', key: 'k', value: buf('v') }]);
    let calls = 0;
    const err = await t.throwsAsync(
      log.process({
        group: 'g',
        topics: ['in'],
        untilIdle: true,
        retry: { initialMs: 1, maxMs: 2, maxAttempts: 3 },
        handler: async () => {
          calls++;
          throw new LitmineError('LITMINE_HTTP_TRANSIENT', '503');
        },
      }),
    );
    t.is((err as LitmineError).code, 'LITMINE_HTTP_TRANSIENT');
    t.is(calls, 3);
    t.is((await log.lag('g', ['in']))[0]!.committed, null);
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lease held by a process that was SIGKILLed is taken over at once, not read as "no work"', async (t) => {
  const dir = tempDir();
  const path = join(dir, 'log.sqlite');
  // Leases last 10 minutes here: only recognising the dead holder lets this run finish.
  const log = new EmbeddedLog({ path, pollMs: 10, leaseMs: 10 * 60_000 });
  try {
    await log.ensureTopics([
      { name: 'in', partitions: 2, cleanup: 'delete' },
      { name: 'out', partitions: 1, cleanup: 'delete' },
    ]);
    await log.produce(Array.from({ length: 40 }, (_, i) => ({ topic: 'in', key: `k${i}`, value: buf(`v${i}`) })));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/hold-lease.ts', import.meta.url)), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
      child.on('exit', (code) => reject(new Error(`lease holder exited early (${code})`)));
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const result = await log.process({
      group: 'g',
      topics: ['in'],
      untilIdle: true,
      handler: async (batch) => batch.map((m) => ({ topic: 'out', key: m.key, value: m.value })),
    });
    t.is(result.messages, 40, 'every message of the dead worker is processed by the rerun');
    t.is((await log.readAll('out')).length, 40);
    t.is(
      (await log.lag('g', ['in'])).reduce((s, l) => s + l.lag, 0),
      0,
    );
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('leaseHolderDead: a dead pid on this host is dead; a live one, another host, or an old format is not', async (t) => {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  t.true(leaseHolderDead(`${hostname()}|${child.pid}|x|w`));
  t.false(leaseHolderDead(`${hostname()}|${process.ppid}|x|w`));
  t.false(leaseHolderDead(`elsewhere|${child.pid}|x|w`));
  t.false(leaseHolderDead('worker:1b4e28ba-2fa1-11d2-883f-0016d3cca427'));
});
