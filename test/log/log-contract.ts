/**
 * The log seam's contract: one suite of ava tests that every Log implementation must pass (the
 * embedded SQLite log in the unit tier, Kafka in the integration tier). Each test gets a fresh
 * harness: unique topic and group names, a way to reopen the same log, and cleanup.
 *
 *   logContract('embedded', async () => embeddedHarness());
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { randomUUID } from 'node:crypto';
import { LitmineError } from '../../src/errors.js';
import type { Log, LogMessage, OutMessage, ProcessOptions, TopicSpec } from '../../src/log/log.js';
import { partitionForKey } from '../../src/log/log.js';

export interface LogHarness {
  /** A client on this test's log; after close(), opening again is a restart over the same data. */
  open(): Promise<Log>;
  /** A topic or group name unique to this test (topics are deleted by cleanup). */
  name(base: string): string;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** Reported skipped (e.g. no broker configured). */
  skip?: boolean;
  /** Fast retries for the retry tests. */
  retry?: ProcessOptions['retry'];
  /**
   * `compact()` cleans in the call (the embedded log), so what it removed can be asserted; a broker
   * that cleans in the background (Kafka) is held only to what any reader may rely on.
   */
  compactsInCall?: boolean;
}

const utf8 = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

function out(topic: string, key: string | null, value: string | null, headers?: Record<string, string>): OutMessage {
  return { topic, key, value: value === null ? null : Buffer.from(value), ...(headers ? { headers } : {}) };
}

function byKey(messages: LogMessage[]): Map<string | null, string[]> {
  const m = new Map<string | null, string[]>();
  for (const msg of messages) m.set(msg.key, [...(m.get(msg.key) ?? []), utf8(msg.value) ?? '<null>']);
  return m;
}

export function logContract(label: string, makeHarness: () => Promise<LogHarness>, options: ContractOptions = {}): void {
  const it = options.skip ? test.skip : test.serial;
  const retry = options.retry ?? { initialMs: 20, maxMs: 100 };

  /** Runs a test body with a harness and an opened log; always cleans up. */
  function withLog(title: string, body: (t: ExecutionContext, log: Log, h: LogHarness) => Promise<void>) {
    it(`${label} log: ${title}`, async (t) => {
      const h = await makeHarness();
      let log: Log | undefined;
      try {
        log = await h.open();
        await body(t, log, h);
      } finally {
        await log?.close().catch(() => undefined);
        await h.cleanup();
      }
    });
  }

  async function topics(log: Log, h: LogHarness, ...specs: Omit<TopicSpec, 'name'>[]): Promise<string[]> {
    const named = specs.map((s, i) => ({ ...s, name: h.name(`t${i}`) }));
    await log.ensureTopics(named);
    return named.map((s) => s.name);
  }

  withLog('produce and readAll keep order per partition; keys land on stable partitions', async (t, log, h) => {
    const [topic] = await topics(log, h, { partitions: 3, cleanup: 'delete' });
    const keys = ['pmid:1', 'pmid:2', 'pmid:3', 'pmid:40', 'pmc:PMC77'];
    const batch: OutMessage[] = [];
    for (let round = 0; round < 4; round++) for (const k of keys) batch.push(out(topic!, k, `${k}#${round}`));
    await log.produce(batch.slice(0, 10));
    await log.produce(batch.slice(10));
    const all = await log.readAll(topic!);
    t.is(all.length, batch.length);
    for (const m of all) {
      t.is(m.topic, topic);
      t.is(m.partition, partitionForKey(m.key, 3), `key ${m.key} on murmur2 partition`);
      t.true(typeof m.timestamp === 'number' && m.timestamp > 0);
    }
    // Offsets strictly increase within a partition, and per-key order is produce order.
    for (let p = 0; p < 3; p++) {
      const offs = all.filter((m) => m.partition === p).map((m) => BigInt(m.offset));
      for (let i = 1; i < offs.length; i++) t.true(offs[i]! > offs[i - 1]!);
    }
    for (const [k, values] of byKey(all))
      t.deepEqual(
        values,
        [0, 1, 2, 3].map((r) => `${k}#${r}`),
      );
    const [info] = await log.describe([topic!]);
    t.is(info!.partitions.length, 3);
    const total = info!.partitions.reduce((n, p) => n + Number(BigInt(p.end) - BigInt(p.start)), 0);
    t.is(total, batch.length);
  });

  withLog('ensureTopics is idempotent', async (t, log, h) => {
    const spec: TopicSpec = { name: h.name('idem'), partitions: 2, cleanup: 'compact' };
    await log.ensureTopics([spec]);
    await log.ensureTopics([spec]);
    const [info] = await log.describe([spec.name]);
    t.is(info!.partitions.length, 2);
  });

  withLog('tombstones and headers round trip; keyless messages only on delete topics', async (t, log, h) => {
    const [compacted, plain] = await topics(log, h, { partitions: 1, cleanup: 'compact' }, { partitions: 2, cleanup: 'delete' });
    await log.produce([
      out(compacted!, 'pmid:9', 'v1', { 'litmine-stage': 'ingest', 'content-type': 'application/json' }),
      out(compacted!, 'pmid:9', null),
    ]);
    const all = await log.readAll(compacted!);
    t.is(all.length, 2);
    t.deepEqual(all[0]!.headers, { 'litmine-stage': 'ingest', 'content-type': 'application/json' });
    t.is(utf8(all[0]!.value), 'v1');
    t.is(all[1]!.key, 'pmid:9');
    t.is(all[1]!.value, null);
    t.deepEqual(all[1]!.headers, {});
    await log.produce([out(plain!, null, 'keyless'), out(plain!, null, 'keyless too')]);
    t.deepEqual((await log.readAll(plain!)).map((m) => [m.key, utf8(m.value)]).sort(), [
      [null, 'keyless'],
      [null, 'keyless too'],
    ]);
    // Kafka rejects a keyless record on a compacted topic (compaction needs the key); so must every log.
    const err = await t.throwsAsync(log.produce([out(compacted!, null, 'no key')]));
    t.is((err as LitmineError).code, 'LITMINE_LOG_PROTOCOL');
  });

  for (const transactional of [false, true]) {
    withLog(`consume-transform-produce (transactional: ${transactional}) commits offsets and outputs together`, async (t, log, h) => {
      const [input, output] = await topics(log, h, { partitions: 2, cleanup: 'delete' }, { partitions: 2, cleanup: 'delete' });
      const n = 20;
      await log.produce(Array.from({ length: n }, (_, i) => out(input!, `k${i}`, `v${i}`, { n: String(i) })));
      const group = h.name('g');
      const lagBefore = await log.lag(group, [input!]);
      t.is(
        lagBefore.reduce((s, l) => s + l.lag, 0),
        n,
      );
      t.true(lagBefore.every((l) => l.committed === null));
      let heartbeats = 0;
      const result = await log.process({
        group,
        topics: [input!],
        untilIdle: true,
        transactional,
        workerId: h.name('w'),
        maxBatchSize: 5,
        retry,
        handler: async (batch, ctx) => {
          await ctx.heartbeat();
          heartbeats++;
          t.false(ctx.signal.aborted);
          const p = batch[0]!.partition;
          t.true(batch.every((m) => m.partition === p && m.topic === input));
          return batch.map((m) => out(output!, m.key, `${utf8(m.value)}!`, { from: m.offset }));
        },
      });
      t.is(result.messages, n);
      t.is(result.produced, n);
      t.is(result.batches, heartbeats);
      const produced = await log.readAll(output!);
      t.deepEqual(produced.map((m) => utf8(m.value)).sort(), Array.from({ length: n }, (_, i) => `v${i}!`).sort());
      const lag = await log.lag(group, [input!]);
      t.is(
        lag.reduce((s, l) => s + l.lag, 0),
        0,
      );
      for (const l of lag) t.is(l.committed, l.end);
      t.true((await log.groups()).includes(group));
    });
  }

  withLog('maxBatchBytes cuts a batch at its byte budget, and a message over it goes alone', async (t, log, h) => {
    const [input] = await topics(log, h, { partitions: 1, cleanup: 'delete' });
    // Values of 300 bytes with one of 2,000 among them; budget 1,000 bytes, cap 64 messages.
    const sizes = [300, 300, 300, 300, 2000, 300, 300];
    await log.produce(sizes.map((n, i) => out(input!, `k${i}`, String(i).padEnd(n, '.'))));
    const batches: number[][] = [];
    const result = await log.process({
      group: h.name('g'),
      topics: [input!],
      untilIdle: true,
      maxBatchSize: 64,
      maxBatchBytes: 1000,
      retry,
      handler: async (batch) => {
        batches.push(batch.map((m) => m.value!.length));
        return [];
      },
    });
    t.deepEqual(batches, [[300, 300, 300], [300], [2000], [300, 300]]);
    t.is(result.messages, sizes.length);
  });

  for (const transactional of [false, true]) {
    withLog(`a failing handler commits nothing and produces nothing (transactional: ${transactional})`, async (t, log, h) => {
      const [input, output] = await topics(log, h, { partitions: 1, cleanup: 'delete' }, { partitions: 1, cleanup: 'delete' });
      await log.produce(Array.from({ length: 6 }, (_, i) => out(input!, `k${i}`, `v${i}`)));
      const group = h.name('g');
      let calls = 0;
      const err = await t.throwsAsync(
        log.process({
          group,
          topics: [input!],
          untilIdle: true,
          transactional,
          workerId: h.name('w'),
          maxBatchSize: 3,
          retry,
          handler: async (batch) => {
            calls++;
            // First batch succeeds; the second fails after having "produced" (returned nothing yet).
            if (calls === 2) throw new LitmineError('LITMINE_ANNOTATE', 'model exploded');
            return batch.map((m) => out(output!, m.key, 'ok'));
          },
        }),
      );
      t.is((err as LitmineError).code, 'LITMINE_ANNOTATE');
      t.is(calls, 2, 'a non-retriable error is not retried');
      const produced = await log.readAll(output!);
      t.is(produced.length, 3, 'only the successful batch was produced');
      const [lag] = await log.lag(group, [input!]);
      t.is(lag!.committed, String(BigInt((await log.readAll(input!))[3]!.offset)));
      t.is(lag!.lag, 3);
    });
  }

  withLog('a retriable error retries the batch until it succeeds, without duplicates', async (t, log, h) => {
    const [input, output] = await topics(log, h, { partitions: 1, cleanup: 'delete' }, { partitions: 1, cleanup: 'delete' });
    await log.produce(Array.from({ length: 4 }, (_, i) => out(input!, `k${i}`, `v${i}`)));
    let failures = 0;
    const seen: string[] = [];
    const result = await log.process({
      group: h.name('g'),
      topics: [input!],
      untilIdle: true,
      transactional: true,
      workerId: h.name('w'),
      retry,
      handler: async (batch) => {
        seen.push(...batch.map((m) => m.offset));
        if (failures < 2) {
          failures++;
          throw new LitmineError('LITMINE_STORE_UNAVAILABLE', 'store overloaded');
        }
        return batch.map((m) => out(output!, m.key, utf8(m.value)));
      },
    });
    t.is(failures, 2);
    t.is(result.messages, 4);
    t.is((await log.readAll(output!)).length, 4);
    // The same offsets came back on each attempt.
    t.deepEqual([...new Set(seen)].length, 4);
  });

  withLog('resumes from the committed offset after close and reopen', async (t, first, h) => {
    const [input] = await topics(first, h, { partitions: 1, cleanup: 'delete' });
    await first.produce(Array.from({ length: 8 }, (_, i) => out(input!, `k${i}`, `v${i}`)));
    const group = h.name('g');
    const firstRun: string[] = [];
    await t.throwsAsync(
      first.process({
        group,
        topics: [input!],
        untilIdle: true,
        maxBatchSize: 3,
        retry,
        handler: async (batch) => {
          if (firstRun.length >= 3) throw new LitmineError('LITMINE_INTERNAL', 'crash after one batch');
          firstRun.push(...batch.map((m) => utf8(m.value)!));
          return [];
        },
      }),
    );
    t.deepEqual(firstRun, ['v0', 'v1', 'v2']);
    await first.close();
    const second = await h.open();
    try {
      const secondRun: string[] = [];
      const result = await second.process({
        group,
        topics: [input!],
        untilIdle: true,
        retry,
        handler: async (batch) => {
          secondRun.push(...batch.map((m) => utf8(m.value)!));
          return [];
        },
      });
      t.deepEqual(secondRun, ['v3', 'v4', 'v5', 'v6', 'v7']);
      t.is(result.messages, 5);
      // Caught up: another run finds nothing.
      const again = await second.process({ group, topics: [input!], untilIdle: true, handler: async () => [] });
      t.is(again.messages, 0);
    } finally {
      await second.close();
    }
  });

  withLog('two groups read independently', async (t, log, h) => {
    const [input] = await topics(log, h, { partitions: 2, cleanup: 'delete' });
    await log.produce(Array.from({ length: 10 }, (_, i) => out(input!, `k${i}`, `v${i}`)));
    const a = h.name('a');
    const b = h.name('b');
    const read = async (group: string) => {
      const values: string[] = [];
      await log.process({
        group,
        topics: [input!],
        untilIdle: true,
        handler: async (batch) => {
          values.push(...batch.map((m) => utf8(m.value)!));
          return [];
        },
      });
      return values.sort();
    };
    const all = Array.from({ length: 10 }, (_, i) => `v${i}`).sort();
    t.deepEqual(await read(a), all);
    t.deepEqual(await read(b), all);
    await log.produce([out(input!, 'k99', 'late')]);
    t.deepEqual(await read(a), ['late']);
    const lagB = await log.lag(b, [input!]);
    t.is(
      lagB.reduce((s, l) => s + l.lag, 0),
      1,
    );
    const groups = await log.groups();
    t.true(groups.includes(a) && groups.includes(b));
  });

  withLog('fromBeginning: false starts a new group at the end', async (t, log, h) => {
    const [input] = await topics(log, h, { partitions: 1, cleanup: 'delete' });
    await log.produce([out(input!, 'old', 'old')]);
    const result = await log.process({
      group: h.name('g'),
      topics: [input!],
      untilIdle: true,
      fromBeginning: false,
      handler: async (batch) => {
        t.fail(`read ${batch.length} old messages`);
        return [];
      },
    });
    t.is(result.messages, 0);
  });

  withLog('without untilIdle, process follows new messages until its signal aborts', async (t, log, h) => {
    const [input] = await topics(log, h, { partitions: 2, cleanup: 'delete' });
    const stop = new AbortController();
    const values: string[] = [];
    const running = log.process({
      group: h.name('g'),
      topics: [input!],
      signal: stop.signal,
      handler: async (batch) => {
        values.push(...batch.map((m) => utf8(m.value)!));
        if (values.length >= 5) stop.abort();
        return [];
      },
    });
    // Produce after the consumer started; it must pick them up without restarting.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 50));
      await log.produce([out(input!, `k${i}`, `v${i}`)]);
    }
    const timeout = setTimeout(() => stop.abort(), 60_000);
    const result = await running;
    clearTimeout(timeout);
    t.deepEqual(values.sort(), ['v0', 'v1', 'v2', 'v3', 'v4']);
    t.is(result.messages, 5);
  });

  withLog('an abort during a batch lets that batch finish and commit, then stops (SIGTERM)', async (t, log, h) => {
    const [input, output] = await topics(log, h, { partitions: 1, cleanup: 'delete' }, { partitions: 1, cleanup: 'delete' });
    await log.produce(Array.from({ length: 9 }, (_, i) => out(input!, `k${i}`, `v${i}`)));
    const group = h.name('g');
    const stop = new AbortController();
    const result = await log.process({
      group,
      topics: [input!],
      transactional: true,
      workerId: h.name('w'),
      maxBatchSize: 3,
      signal: stop.signal,
      handler: async (batch, ctx) => {
        stop.abort(); // as a SIGTERM handler would, while this batch is in flight
        t.true(ctx.signal.aborted, 'the handler can see the stop request');
        return batch.map((m) => out(output!, m.key, utf8(m.value)));
      },
    });
    t.is(result.batches, 1);
    t.is(result.messages, 3);
    // Committed, not left open: read_committed readers see the batch, and the offset moved.
    t.is((await log.readAll(output!)).length, 3);
    const [lag] = await log.lag(group, [input!]);
    t.is(lag!.lag, 6);
  });

  withLog('compact keeps the latest value per key, records within retention, and every offset and group position', async (t, log, h) => {
    const hour = 3_600_000;
    const [table, stream] = await topics(
      log,
      h,
      { partitions: 1, cleanup: 'compact' },
      { partitions: 1, cleanup: 'delete', retentionMs: hour },
    );
    await log.produce([
      out(table!, 'k1', 'v1'),
      out(table!, 'k1', 'v2'),
      out(table!, 'k2', 'v1'),
      out(table!, 'k3', 'v1'),
      out(table!, 'k3', null),
    ]);
    await log.produce([out(stream!, 'a', 's1'), out(stream!, 'b', 's2'), out(stream!, null, 's3')]);
    const group = h.name('g');
    const drain = async () => {
      const seen: string[] = [];
      await log.process({
        group,
        topics: [table!],
        untilIdle: true,
        retry,
        handler: async (batch) => {
          seen.push(...batch.map((m) => `${m.key}=${utf8(m.value) ?? '<null>'}`));
          return [];
        },
      });
      return seen;
    };
    t.is((await drain()).length, 5);
    const latest = async () => [...new Map((await log.readAll(table!)).map((m) => [m.key, utf8(m.value)]))].sort();

    const first = await log.compact();
    // What a reader rebuilds from the topic is unchanged; a recent tombstone is still there to read.
    t.deepEqual(await latest(), [
      ['k1', 'v2'],
      ['k2', 'v1'],
      ['k3', null],
    ]);
    t.deepEqual(
      (await log.readAll(stream!)).map((m) => utf8(m.value)),
      ['s1', 's2', 's3'],
    );
    // Offsets never go back and the group resumes where it was: it reads only what came after.
    await log.produce([out(table!, 'k1', 'v3')]);
    const [k1] = (await log.readAll(table!)).filter((m) => utf8(m.value) === 'v3');
    t.is(k1!.offset, '5');
    t.deepEqual(await drain(), ['k1=v3']);

    if (!options.compactsInCall) return;
    t.is(first.removed, 2, 'k1=v1 and k3=v1 were superseded');
    t.is((await log.readAll(table!)).length, 4);
    // A day and more later: the tombstone has outlived delete.retention, the stream its retention.
    const later = await log.compact({ now: Date.now() + 2 * 24 * hour });
    t.is(later.removed, 5);
    t.deepEqual(await latest(), [
      ['k1', 'v3'],
      ['k2', 'v1'],
    ]);
    t.deepEqual(await log.readAll(stream!), []);
    const info = new Map((await log.describe([table!, stream!])).map((d) => [d.name, d.partitions[0]!]));
    t.deepEqual(info.get(stream!), { partition: 0, start: '3', end: '3' });
    t.is(info.get(table!)!.end, '6');
    await log.produce([out(stream!, 'c', 's4')]);
    t.deepEqual(
      (await log.readAll(stream!)).map((m) => m.offset),
      ['3'],
    );
    t.deepEqual(await drain(), []);
  });

  withLog('a partition key places messages instead of their key and travels as a header', async (t, log, h) => {
    const [topic] = await topics(log, h, { partitions: 4, cleanup: 'compact,delete', retentionMs: 3_600_000 });
    // Mentions keyed by mention id, placed by entity: every mention of an entity in one partition.
    const mentions = ['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-6'].map((id, i) => ({
      ...out(topic!, id, `mention ${id}`, { 'content-type': 'application/json' }),
      partitionKey: i % 2 === 0 ? 'Chemical:MESH:D002945' : 'Disease:MESH:D058186',
    }));
    await log.produce(mentions);
    const all = await log.readAll(topic!);
    t.is(all.length, 6);
    for (const m of all) {
      const placedBy = m.headers['litmine.partition-key']!;
      t.true(placedBy === 'Chemical:MESH:D002945' || placedBy === 'Disease:MESH:D058186');
      t.is(m.partition, partitionForKey(placedBy, 4), `${m.key} on the partition of ${placedBy}`);
      t.is(m.headers['content-type'], 'application/json');
    }
    t.is(new Set(all.filter((m) => m.headers['litmine.partition-key'] === 'Chemical:MESH:D002945').map((m) => m.partition)).size, 1);
    // A compacted topic still needs a key; the partition key does not stand in for it.
    await t.throwsAsync(log.produce([{ ...out(topic!, null, 'x'), partitionKey: 'Chemical:MESH:D002945' }]));

    // compact,delete: a replay of the same mention replaces it, and everything expires with retention.
    await log.produce([{ ...mentions[0]!, value: Buffer.from('mention m-1 again') }]);
    await log.compact();
    if (!options.compactsInCall) return;
    const kept = await log.readAll(topic!);
    t.is(kept.length, 6);
    t.is(utf8(kept.find((m) => m.key === 'm-1')!.value), 'mention m-1 again');
    await log.compact({ now: Date.now() + 2 * 3_600_000 });
    t.deepEqual(await log.readAll(topic!), []);
  });

  withLog('deleteTopics removes topics', async (t, log, h) => {
    const [topic] = await topics(log, h, { partitions: 1, cleanup: 'delete' });
    await log.produce([out(topic!, 'a', 'b')]);
    await log.deleteTopics([topic!]);
    const remaining = (await log.describe()).map((d) => d.name);
    t.false(remaining.includes(topic!));
  });
}

/** A short random suffix for names unique to one test. */
export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}
