// The daily schedule with a controllable clock: a 3-day gap is caught up in order, two overlapping
// triggers run once, a crashed run's stale lock is taken over, a failing day is retried next time,
// and the cron wiring fires the job.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LitmineError } from '../../src/errors.js';
import { daysToRun, listRuns, runScheduledOnce, type ScheduleOptions, startSchedule } from '../../topologies/schedule.js';
import { RunLock } from '../../topologies/schedule-lock.js';
import { ScheduleRuns } from '../../topologies/schedule-runs.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'litmine-schedule-'));
const clockAt = (iso: string) => {
  const clock = { t: Date.parse(iso), now: () => new Date(clock.t) };
  return clock;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('days to run: after the last completed day up to yesterday, in the schedule timezone', (t) => {
  t.deepEqual(daysToRun('2026-01-01', new Date('2026-01-05T07:00:00Z'), 'UTC'), ['2026-01-02', '2026-01-03', '2026-01-04']);
  t.deepEqual(daysToRun(null, new Date('2026-01-05T07:00:00Z'), 'UTC'), ['2026-01-04']);
  // 02:00 UTC on the 5th is still the 4th in New York: yesterday there is the 3rd.
  t.deepEqual(daysToRun('2026-01-02', new Date('2026-01-05T02:00:00Z'), 'America/New_York'), ['2026-01-03']);
  t.deepEqual(daysToRun('2026-01-04', new Date('2026-01-05T07:00:00Z'), 'UTC'), []);
  t.is(daysToRun('2025-01-01', new Date('2026-01-05T07:00:00Z'), 'UTC', undefined, 10).length, 10);
});

test('a 3-day gap is caught up day by day, recorded, and the next trigger is up to date', async (t) => {
  const dataDir = tmp();
  const seeded = new ScheduleRuns(dataDir);
  seeded.record({
    trigger: 'cron',
    startedAt: '2026-01-02T06:30:00Z',
    finishedAt: '2026-01-02T06:40:00Z',
    durationMs: 600_000,
    days: ['2026-01-01'],
    completedDays: ['2026-01-01'],
    counts: {},
    ok: true,
  });
  seeded.close();
  const clock = clockAt('2026-01-05T06:30:00Z');
  const seen: string[] = [];
  const options: ScheduleOptions = {
    dataDir,
    clock,
    runWindow: async (day) => {
      seen.push(day);
      clock.t += 60_000;
      return { counts: { pubmed: { articles: 100, deletes: 1 }, pmc: { articles: 7 } } };
    },
  };
  const outcome = await runScheduledOnce(options);
  t.deepEqual(seen, ['2026-01-02', '2026-01-03', '2026-01-04']);
  t.is(outcome.status, 'ran');
  const [run] = listRuns(dataDir, 1);
  t.like(run, {
    ok: true,
    trigger: 'manual',
    days: seen,
    completedDays: seen,
    counts: { pubmed: { articles: 300, deletes: 3 }, pmc: { articles: 21 } },
  });
  t.is(Date.parse(run!.finishedAt) - Date.parse(run!.startedAt), 3 * 60_000);
  t.is((await runScheduledOnce(options)).status, 'up-to-date');
  clock.t += 86_400_000;
  await runScheduledOnce(options);
  t.deepEqual(seen.slice(3), ['2026-01-05']);
  t.is(listRuns(dataDir, 10).length, 3);
});

test('a failing day stops the run, is recorded with its error, and is the first day next time', async (t) => {
  const dataDir = tmp();
  const clock = clockAt('2026-01-05T06:30:00Z');
  let fail = true;
  const seen: string[] = [];
  const options: ScheduleOptions = {
    dataDir,
    clock,
    firstDay: '2026-01-02',
    runWindow: async (day) => {
      seen.push(day);
      if (day === '2026-01-03' && fail) throw new LitmineError('LITMINE_HTTP_TRANSIENT', 'eutils: HTTP 503');
    },
  };
  const first = await runScheduledOnce(options);
  t.true(first.status === 'ran' && !first.run.ok);
  t.like(listRuns(dataDir, 1)[0], { completedDays: ['2026-01-02'], error: { code: 'LITMINE_HTTP_TRANSIENT', day: '2026-01-03' } });
  fail = false;
  await runScheduledOnce(options);
  t.deepEqual(seen, ['2026-01-02', '2026-01-03', '2026-01-03', '2026-01-04']);
});

test('two overlapping triggers run once: the second finds the lock held', async (t) => {
  const dataDir = tmp();
  const clock = clockAt('2026-01-05T06:30:00Z');
  let calls = 0;
  const runWindow = async () => {
    calls++;
    await sleep(150);
  };
  // Two schedules as two processes would have them: separate connections to the same data dir.
  const a = startSchedule({ dataDir, clock, runWindow, firstDay: '2026-01-03' });
  const b = startSchedule({ dataDir, clock, runWindow, firstDay: '2026-01-03' });
  try {
    const outcomes = await Promise.all([a.trigger(), b.trigger(), a.trigger()]);
    t.deepEqual(outcomes.map((o) => o.status).sort(), ['locked', 'locked', 'ran']);
    const locked = outcomes.find((o) => o.status === 'locked');
    t.is(locked?.status === 'locked' ? locked.error.code : '', 'LITMINE_LOCKED');
    t.is(calls, 2);
    t.is(listRuns(dataDir).length, 1);
    // The lock was let go: a later trigger is not blocked.
    t.is((await a.trigger()).status, 'up-to-date');
  } finally {
    await a.stop();
    await b.stop();
  }
});

test("a crashed run's lock is taken over: dead pid, or heartbeat too old", async (t) => {
  const dataDir = tmp();
  const clock = clockAt('2026-01-05T06:30:00Z');
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  // A run that crashed: its row names a pid that no longer exists, with a fresh heartbeat.
  new RunLock(dataDir, { clock, pid: dead }).acquire();
  let calls = 0;
  const options: ScheduleOptions = { dataDir, clock, firstDay: '2026-01-04', runWindow: async () => void calls++ };
  t.is((await runScheduledOnce(options)).status, 'ran');
  t.is(calls, 1);

  // A live process on another host whose heartbeat stopped: locked until it is stale.
  clock.t += 86_400_000;
  const other = new RunLock(dataDir, { clock, pid: process.pid, host: 'elsewhere', staleMs: 60_000 });
  other.acquire();
  const blocked = await runScheduledOnce({ ...options, staleMs: 60_000 });
  t.is(blocked.status, 'locked');
  t.regex(blocked.status === 'locked' ? blocked.error.message : '', /elsewhere/);
  clock.t += 61_000;
  t.is((await runScheduledOnce({ ...options, staleMs: 60_000 })).status, 'ran');
  t.is(calls, 2);
  t.is(new RunLock(dataDir).holder(), null);
});

test('a run whose lock is taken over stops before its next day', async (t) => {
  const dataDir = tmp();
  const clock = clockAt('2026-01-05T06:30:00Z');
  const seen: string[] = [];
  const outcome = await runScheduledOnce({
    dataDir,
    clock,
    firstDay: '2026-01-01',
    heartbeatMs: 20,
    runWindow: async (day) => {
      seen.push(day);
      if (day === '2026-01-02') {
        // Another process judged us dead and took the lock.
        const thief = new RunLock(dataDir, { clock, staleMs: 0, pid: 1, host: 'thief' });
        clock.t += 1;
        thief.acquire();
        await sleep(80);
      }
    },
  });
  t.deepEqual(seen, ['2026-01-01', '2026-01-02']);
  t.like(outcome.status === 'ran' ? outcome.run : {}, { ok: false, completedDays: ['2026-01-01'], error: { code: 'LITMINE_LOCKED' } });
});

test('the cron fires the job (node-cron, seconds field) and overlapping fires run once', async (t) => {
  const dataDir = tmp();
  let calls = 0;
  const schedule = startSchedule({
    dataDir,
    cron: '* * * * * *',
    timezone: 'Europe/Berlin',
    firstDay: '2020-01-01',
    maxDays: 1,
    runWindow: async () => {
      calls++;
      await sleep(1500);
    },
  });
  await sleep(2600);
  await schedule.stop();
  t.true(calls >= 1 && calls <= 2, `${calls} calls`);
  const runs = listRuns(dataDir);
  t.true(runs.length >= 1 && runs.every((r) => r.trigger === 'cron'));
  t.throws(() => startSchedule({ dataDir, cron: 'every day', runWindow: async () => {} }), { message: /schedule.cron/ });
});
