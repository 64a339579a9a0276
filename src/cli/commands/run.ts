/**
 * `litmine run`: the daily job once — ingest → annotate → index on the configured log and store.
 *   - `--from DIR|FILE` (repeatable): local PubMed/PMC XML, plain or gzipped, through the files source;
 *   - `--source pubmed|pmc|updatefiles --since D [--until D]`: one window of one NCBI source;
 *   - neither: the configured NCBI sources for every day since the last completed one (catch-up).
 * Every run takes the run lock (never two at once) and is recorded for `litmine status`.
 *
 *   litmine run --from ../shared/data/pubmed-xml-more --from ../shared/data/pmc-jats-more
 */
import { FilesConnector } from '../../../connectors/files/files-connector.js';
import { addDays } from '../../../connectors/pubmed-eutils/day-range.js';
import type { PipelineResult } from '../../../topologies/pipeline.js';
import { runScheduledOnce } from '../../../topologies/schedule.js';
import { RunLock } from '../../../topologies/schedule-lock.js';
import { ScheduleRuns } from '../../../topologies/schedule-runs.js';
import { join } from 'node:path';
import { diskFullError, isDiskFull } from '../../disk-full.js';
import { asLitmineError, LitmineError } from '../../errors.js';
import { parseXmlStream } from '../../parse/parse-xml-file.js';
import type { Command, CommandContext } from '../command.js';
import { openDailyJob, printSummary, sourceCounts } from '../daily-job.js';
import { DAY } from '../flag-values.js';
import { dataPath } from '../open-services.js';

const SOURCES = ['pubmed', 'pmc', 'updatefiles', 'files'];

export const runCommand: Command = {
  name: 'run',
  summary: 'run the daily job once: ingest → annotate → index (--from for local XML files)',
  usage: 'litmine run [--from DIR|FILE ...] [--source pubmed|pmc|updatefiles|files --since YYYY-MM-DD [--until YYYY-MM-DD]] [--json]',
  options: {
    from: { type: 'string', multiple: true },
    source: { type: 'string', value: { kind: 'choice', choices: SOURCES } },
    since: { type: 'string', value: DAY },
    until: { type: 'string', value: DAY },
    json: { type: 'boolean' },
  },
  async run({ values }, context) {
    const from = (values.from as string[] | undefined) ?? [];
    const source = values.source as string | undefined;
    const since = values.since as string | undefined;
    const until = (values.until as string | undefined) ?? since;
    if ((source === 'files' || !source) && from.length === 0 && source)
      throw new LitmineError('LITMINE_USAGE', '--source files needs --from DIR|FILE');
    if (source && source !== 'files' && !since) throw new LitmineError('LITMINE_USAGE', `--source ${source} needs --since YYYY-MM-DD`);
    if (since && until && until < since) throw new LitmineError('LITMINE_USAGE', `--until ${until} is before --since ${since}`);

    if (from.length > 0)
      return manualRun(context, 'files', [], Boolean(values.json), (job) =>
        job.runConnectors([new FilesConnector({ paths: from, cursorStore: job.cursors, parse: parseXmlStream })], {}),
      );
    if (source) {
      const days = daysBetween(since!, until!);
      return manualRun(context, source, days, Boolean(values.json), async (job) => {
        const { createConnector } = await import('../../../connectors/index.js');
        return job.runConnectors([createConnector(source as 'pubmed', context.config, job.cursors)], { since, until });
      });
    }
    return catchUp(context);
  },
};

/** A run of explicit inputs: under the run lock, recorded with trigger "manual". */
async function manualRun(
  context: CommandContext,
  source: string,
  days: string[],
  json: boolean,
  work: (job: Awaited<ReturnType<typeof openDailyJob>>) => Promise<PipelineResult>,
): Promise<number> {
  const dataDir = dataPath(context.config);
  const lock = new RunLock(dataDir);
  const runs = new ScheduleRuns(dataDir);
  const held = lock.acquire();
  const started = new Date();
  const t0 = performance.now();
  const record = (outcome: { result?: PipelineResult; error?: { code: string; message: string } }) => {
    try {
      recordRun(outcome);
    } catch (err) {
      // A full disk may refuse the record too: say so rather than hide the run's own error.
      const e = isDiskFull(err) ? diskFullError(join(dataDir, 'schedule.sqlite'), 'recording the run failed', err) : asLitmineError(err);
      context.io.err(`run: could not record this run (${e.code}: ${e.message})`);
    }
  };
  const recordRun = (outcome: { result?: PipelineResult; error?: { code: string; message: string } }) =>
    runs.record({
      trigger: 'manual',
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      durationMs: performance.now() - t0,
      days,
      completedDays: outcome.error ? [] : days,
      counts: outcome.result ? sourceCounts(outcome.result) : {},
      ok: !outcome.error,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
  try {
    const job = await openDailyJob(context);
    try {
      const result = await work(job);
      const interrupted = context.signal.aborted;
      record({
        result,
        error: interrupted ? { code: 'LITMINE_INTERRUPTED', message: `interrupted; rerun to resume ${source}` } : undefined,
      });
      printSummary(context, result, json);
      return interrupted ? 130 : 0;
    } finally {
      await job.close();
    }
  } catch (err) {
    const { code, message } = asLitmineError(err);
    record({ error: { code, message } });
    throw err;
  } finally {
    try {
      lock.release(held);
    } catch (err) {
      // The lock of a process that is gone is taken over by the next run; the run's own error matters more.
      const e = isDiskFull(err)
        ? diskFullError(join(dataDir, 'schedule.sqlite'), 'releasing the run lock failed', err)
        : asLitmineError(err);
      context.io.err(`run: could not release the run lock (${e.code}: ${e.message})`);
    }
    lock.close();
    runs.close();
  }
}

/** The scheduled unit of work by hand: every day since the last completed one, up to yesterday. */
async function catchUp(context: CommandContext): Promise<number> {
  const { config, io, signal } = context;
  const job = await openDailyJob(context);
  try {
    const outcome = await runScheduledOnce({
      dataDir: dataPath(config),
      timezone: config.schedule.timezone,
      signal,
      runWindow: (day, { signal: daySignal }) => job.runWindow(day, daySignal),
    });
    if (outcome.status === 'locked') throw outcome.error;
    if (outcome.status === 'up-to-date') {
      io.out('run: up to date (every day up to yesterday is done)');
      return 0;
    }
    const { run } = outcome;
    io.out(
      `run: ${run.completedDays.length} of ${run.days.length} day(s) done (${run.days[0]}…${run.days.at(-1)}) in ${(run.durationMs / 1000).toFixed(1)} s`,
    );
    if (run.error) io.err(`run: day ${run.error.day} failed: ${run.error.code}: ${run.error.message} (the next run starts there)`);
    return run.ok ? 0 : 1;
  } finally {
    await job.close();
  }
}

function daysBetween(since: string, until: string): string[] {
  const days: string[] = [];
  for (let d = since; d <= until; d = addDays(d, 1)) days.push(d);
  return days;
}
