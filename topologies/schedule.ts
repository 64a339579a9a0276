/**
 * The daily schedule: at `config.schedule.cron` in `config.schedule.timezone`, run `runWindow(day)`
 * (ingest → annotate → index, supplied by the caller) for every day since the last completed one up
 * to yesterday — so downtime is caught up — under a crash-safe run lock, recording each run.
 *
 *   const schedule = startSchedule({ dataDir, cron: '30 6 * * *', timezone: 'UTC', runWindow });
 *   await schedule.trigger();   // the same thing by hand; schedule.stop() on shutdown
 */
import { schedule as cronSchedule, type ScheduledTask, validate } from 'node-cron';
import { addDays } from '../connectors/pubmed-eutils/day-range.js';
import { asLitmineError, LitmineError } from '../src/errors.js';
import { type LockHolder, RunLock, type ScheduleClock } from './schedule-lock.js';
import { type ScheduleRun, ScheduleRuns, type SourceCounts } from './schedule-runs.js';

export interface RunWindowResult {
  /** Per source: { pubmed: { articles: 10, deletes: 1 } }. */
  counts?: SourceCounts;
}

// biome-ignore lint/suspicious/noConfusingVoidType: a day with nothing to report may return nothing
export type RunWindow = (day: string, context: { signal: AbortSignal }) => Promise<RunWindowResult | void>;

export interface ScheduleOptions {
  dataDir: string;
  runWindow: RunWindow;
  /** node-cron expression (default: config.schedule.cron). */
  cron?: string;
  /** IANA zone the cron and the day boundaries use (default UTC). */
  timezone?: string;
  clock?: ScheduleClock;
  /** First day to process when no run ever completed (default: yesterday). */
  firstDay?: string;
  /** Most days one run catches up (oldest first; the next run goes on). Default 60. */
  maxDays?: number;
  staleMs?: number;
  heartbeatMs?: number;
  signal?: AbortSignal;
  onRun?: (run: ScheduleRun) => void;
}

export type ScheduleOutcome = { status: 'ran'; run: ScheduleRun } | { status: 'up-to-date' } | { status: 'locked'; error: LitmineError };

export interface Schedule {
  task: ScheduledTask;
  trigger(kind?: 'cron' | 'manual'): Promise<ScheduleOutcome>;
  stop(): Promise<void>;
  runs: ScheduleRuns;
}

export function startSchedule(options: ScheduleOptions): Schedule {
  const cron = options.cron ?? '30 6 * * *';
  if (!validate(cron)) throw new LitmineError('LITMINE_CONFIG', `schedule.cron: "${cron}" is not a cron expression`);
  const runs = new ScheduleRuns(options.dataDir);
  const lock = new RunLock(options.dataDir, { clock: options.clock, staleMs: options.staleMs });
  // stop() asks running work to end after its current day and waits for it before closing the db.
  const stopping = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopping.signal]) : stopping.signal;
  const inFlight = new Set<Promise<ScheduleOutcome>>();
  const trigger = (kind: 'cron' | 'manual' = 'manual') => {
    const run = runScheduledOnce({ ...options, signal }, { runs, lock, trigger: kind });
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run)).catch(() => undefined);
    return run;
  };
  const task = cronSchedule(cron, () => trigger('cron').then(() => undefined), {
    timezone: options.timezone ?? 'UTC',
    name: 'litmine-daily',
    noOverlap: true,
  });
  return {
    task,
    trigger,
    runs,
    async stop() {
      await task.stop();
      stopping.abort(new LitmineError('LITMINE_LOCKED', 'the schedule is stopping'));
      await Promise.allSettled([...inFlight]);
      await task.destroy();
      lock.close();
      runs.close();
    },
  };
}

/** The calendar day of `date` in `timeZone`, as YYYY-MM-DD. */
export function dayIn(timeZone: string, date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** The days a run at `now` should process, oldest first: after the last completed day, up to yesterday. */
export function daysToRun(lastCompleted: string | null, now: Date, timeZone: string, firstDay?: string, maxDays = 60): string[] {
  const yesterday = addDays(dayIn(timeZone, now), -1);
  let day = lastCompleted ? addDays(lastCompleted, 1) : (firstDay ?? yesterday);
  const days: string[] = [];
  while (day <= yesterday && days.length < maxDays) {
    days.push(day);
    day = addDays(day, 1);
  }
  return days;
}

/** One scheduled run: take the lock, catch up day by day, record the run, let the lock go. */
export async function runScheduledOnce(
  options: ScheduleOptions,
  parts: { runs?: ScheduleRuns; lock?: RunLock; trigger?: 'cron' | 'manual' } = {},
): Promise<ScheduleOutcome> {
  const clock = options.clock ?? { now: () => new Date() };
  const runs = parts.runs ?? new ScheduleRuns(options.dataDir);
  const lock = parts.lock ?? new RunLock(options.dataDir, { clock, staleMs: options.staleMs });
  let held: LockHolder;
  try {
    held = lock.acquire();
  } catch (err) {
    const error = asLitmineError(err);
    if (error.code === 'LITMINE_LOCKED') return { status: 'locked', error };
    throw err;
  }
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const beat = setInterval(() => {
    // Taken over (we were judged dead): stop between days rather than run twice.
    if (!lock.heartbeat(held)) abort.abort(new LitmineError('LITMINE_LOCKED', 'the run lock was taken over'));
  }, options.heartbeatMs ?? 30_000);
  beat.unref();
  try {
    const days = daysToRun(runs.lastCompletedDay(), clock.now(), options.timezone ?? 'UTC', options.firstDay, options.maxDays);
    if (days.length === 0) return { status: 'up-to-date' };
    const started = clock.now();
    const startedMs = performance.now();
    const completedDays: string[] = [];
    const counts: SourceCounts = {};
    let error: ScheduleRun['error'];
    for (const day of days) {
      if (abort.signal.aborted) {
        error = { ...codeAndMessage(abort.signal.reason), day };
        break;
      }
      try {
        const result = await options.runWindow(day, { signal: abort.signal });
        if (abort.signal.aborted) throw abort.signal.reason;
        addCounts(counts, result?.counts ?? {});
        completedDays.push(day);
      } catch (err) {
        // Later days wait for this one: the next run starts again here.
        error = { ...codeAndMessage(err), day };
        break;
      }
    }
    const run = runs.record({
      trigger: parts.trigger ?? 'manual',
      startedAt: started.toISOString(),
      finishedAt: clock.now().toISOString(),
      durationMs: performance.now() - startedMs,
      days,
      completedDays,
      counts,
      ok: !error,
      ...(error ? { error } : {}),
    });
    options.onRun?.(run);
    return { status: 'ran', run };
  } finally {
    clearInterval(beat);
    options.signal?.removeEventListener('abort', onOuterAbort);
    lock.release(held);
    if (!parts.lock) lock.close();
    if (!parts.runs) runs.close();
  }
}

function addCounts(into: SourceCounts, add: SourceCounts): void {
  for (const [source, values] of Object.entries(add)) {
    const target = (into[source] ??= {});
    for (const [name, n] of Object.entries(values)) target[name] = (target[name] ?? 0) + n;
  }
}

function codeAndMessage(err: unknown): { code: string; message: string } {
  const e = asLitmineError(err);
  return { code: e.code, message: e.message };
}

/** Recent schedule runs, newest first, for `litmine status`. */
export function listRuns(dataDir: string, limit = 10): ScheduleRun[] {
  const runs = new ScheduleRuns(dataDir);
  try {
    return runs.listRuns(limit);
  } finally {
    runs.close();
  }
}
