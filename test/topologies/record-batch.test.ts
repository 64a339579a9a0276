// The topologies' one handler shape: marked records leave the flow and become dead letters, a
// failing batch step is rerun record by record so only the poison one is marked, retriable errors
// propagate (the log retries the batch by the flag alone), and the stage counters move.
import test from 'ava';
import { register } from 'prom-client';
import { LitmineError } from '../../src/errors.js';
import type { DeadLetter } from '../../src/records/types.js';
import { RecordBatch } from '../../topologies/record-batch.js';

const describe = (n: number) => ({ source: { index: n }, key: `k${n}`, value: String(n), label: `record k${n}` });
const deadTopic = { topic: 'dead', describe };

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  // A histogram's _count series is listed under the histogram's name with its own metricName.
  const values = (await register.getMetricsAsJSON()).flatMap((m) =>
    m.values.map((v) => ({ ...v, series: (v as { metricName?: string }).metricName ?? m.name })),
  );
  const value = values.find((v) => v.series === name && Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return Number(value?.value ?? 0);
}

test('a per-record step marks the records it fails on, drops nulls, and routes the marked ones as dead letters', (t) => {
  const flow = RecordBatch.of('unit-map', [1, 2, 3, 4]).map((n) => {
    if (n === 2) throw new Error('two is bad');
    return n === 4 ? null : n * 10;
  }, 'LITMINE_RECORD_INVALID');
  t.deepEqual(flow.values, [10, 30]);
  const out = flow.route({ outputs: [], deadLetters: deadTopic });
  t.is(out.length, 1);
  const dead = JSON.parse(out[0]!.value!.toString()) as DeadLetter;
  t.deepEqual([dead.stage, dead.code, dead.key, dead.message], ['unit-map', 'LITMINE_RECORD_INVALID', 'k2', 'record k2: two is bad']);
  t.deepEqual(dead.source, { index: 2 });
});

test('a failing batch step is rerun record by record, so only the poison record is marked', async (t) => {
  const calls: number[][] = [];
  const flow = await RecordBatch.of('unit-all', [1, 2, 3]).mapAll(async (xs) => {
    calls.push(xs);
    if (xs.includes(2)) throw new LitmineError('LITMINE_ANNOTATE', 'poison');
    return xs.map((x) => x + 100);
  }, 'LITMINE_ANNOTATE');
  t.deepEqual(calls, [[1, 2, 3], [1], [2], [3]]);
  t.deepEqual(flow.values, [101, 103]);
  t.deepEqual(
    flow.failed.map((f) => [f.source, f.error.code]),
    [[2, 'LITMINE_ANNOTATE']],
  );
});

test('retriable errors are not marked: they propagate so the log retries the batch', async (t) => {
  const unavailable = new LitmineError('LITMINE_STORE_UNAVAILABLE', 'store down');
  t.throws(
    () =>
      RecordBatch.of('unit-retry', [1]).map(() => {
        throw unavailable;
      }),
    { is: unavailable },
  );
  await t.throwsAsync(
    RecordBatch.of('unit-retry', [1, 2]).mapAll(async () => {
      throw unavailable;
    }),
    { is: unavailable },
  );
});

test('settle marks the records a store refused and keeps the rest flowing', async (t) => {
  const flow = await RecordBatch.of('unit-settle', ['a', 'b', 'c']).settle(
    async () => new Map([[1, new LitmineError('LITMINE_STORE_REJECTED', 'bad doc')]]),
  );
  t.deepEqual(flow.values, ['a', 'c']);
  t.deepEqual(
    flow.failed.map((f) => [f.source, f.error.code]),
    [['b', 'LITMINE_STORE_REJECTED']],
  );
});

test('the stage counters in the default registry move: records in, out, dead letters by code, batch sizes', async (t) => {
  const stage = 'unit-metrics';
  const before = {
    in: await metric('litmine_stage_records_in_total', { stage }),
    out: await metric('litmine_stage_records_out_total', { stage }),
    dead: await metric('litmine_stage_dead_letters_total', { stage, code: 'LITMINE_RECORD_INVALID' }),
    batches: await metric('litmine_stage_batch_size_count', { stage }),
  };
  const flow = RecordBatch.of(stage, [1, 2, 3]).map((n) => {
    if (n === 3) throw new Error('bad');
    return n;
  }, 'LITMINE_RECORD_INVALID');
  flow.route({ written: flow.values.length, deadLetters: { topic: 'dead', describe } });
  t.is((await metric('litmine_stage_records_in_total', { stage })) - before.in, 3);
  t.is((await metric('litmine_stage_records_out_total', { stage })) - before.out, 2);
  t.is((await metric('litmine_stage_dead_letters_total', { stage, code: 'LITMINE_RECORD_INVALID' })) - before.dead, 1);
  t.is((await metric('litmine_stage_batch_size_count', { stage })) - before.batches, 1);
});
