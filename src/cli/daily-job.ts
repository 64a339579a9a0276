/**
 * The daily job as the CLI runs it: opens the log, store and models once, then runs the pipeline
 * for a set of connectors with progress on stderr. `litmine run` and `litmine schedule` share it;
 * the schedule calls `runWindow(day)` for each day it catches up.
 *
 *   const job = await openDailyJob(context);  const result = await job.runConnectors(connectors, cursors, {});
 */
import { JsonCursorStore } from '../../connectors/json-cursor-store.js';
import { ANNOTATE_GROUP } from '../../topologies/annotate.js';
import { INDEX_GROUP } from '../../topologies/index.js';
import { type IngestConnector, type IngestCursorStore, invalidUtf8Note } from '../../topologies/ingest.js';
import { runPipeline, type PipelineResult } from '../../topologies/pipeline.js';
import type { RunWindowResult } from '../../topologies/schedule.js';
import type { SourceCounts } from '../../topologies/schedule-runs.js';
import { LitmineError } from '../errors.js';
import type { Log } from '../log/log.js';
import type { Annotator } from '../nlp/annotator.js';
import type { SearchStore } from '../store/store.js';
import type { CommandContext } from './command.js';
import { compactLog } from './log-maintenance.js';
import { ingestProblemLines } from './ingest-problems.js';
import { dataPath, openAnnotator, openLog, openStore } from './open-services.js';
import { Progress } from './progress.js';
import { retryNotice } from './retry-notice.js';

export interface DailyJob {
  log: Log;
  store: SearchStore;
  annotator: Annotator;
  cursors: JsonCursorStore;
  runConnectors(connectors: IngestConnector[], window: { since?: string; until?: string }): Promise<PipelineResult>;
  /** One day of the configured NCBI sources (the schedule's unit of work). */
  runWindow(day: string, signal: AbortSignal): Promise<RunWindowResult & { result: PipelineResult }>;
  close(): Promise<void>;
}

export async function openDailyJob(context: CommandContext): Promise<DailyJob> {
  const { config, io } = context;
  const log = await openLog(config);
  const store = await openStore(config);
  let annotator: Annotator;
  try {
    annotator = await openAnnotator(config, context.installDir, io.err);
  } catch (err) {
    await store.close();
    await log.close();
    throw err;
  }
  const cursors = new JsonCursorStore(dataPath(config));
  const models = `${annotator.models.ner.name}@${annotator.models.ner.version}${annotator.models.re ? ` + ${annotator.models.re.name}@${annotator.models.re.version}` : ''}`;
  io.err(`litmine: ${config.log.kind} log, ${config.store.kind} store, models ${models}, data in ${dataPath(config)}`);

  const job: DailyJob = {
    log,
    store,
    annotator,
    cursors,
    runConnectors: (connectors, window, signal = context.signal) =>
      runWithProgress(context, { log, store, annotator, connectors, cursors, since: window.since, until: window.until, signal }),
    async runWindow(day, signal) {
      const { createConnector } = await import('../../connectors/index.js');
      const connectors = config.schedule.sources.map((s) => createConnector(s, config, cursors));
      io.err(`litmine: day ${day}: ${config.schedule.sources.join(' + ')}`);
      const result = await runWithProgress(context, { log, store, annotator, connectors, cursors, since: day, until: day, signal });
      printSummary(context, result, false);
      return { counts: sourceCounts(result), result };
    },
    async close() {
      await annotator.close();
      await store.close();
      await log.close();
    },
  };
  return job;
}

export function sourceCounts(result: PipelineResult): SourceCounts {
  const counts: SourceCounts = {};
  for (const [source, s] of Object.entries(result.ingest.bySource)) counts[source] = { ...s };
  counts.annotate = { ...result.annotate };
  counts.index = { ...result.index };
  return counts;
}

async function runWithProgress(
  { config, io }: CommandContext,
  parts: {
    log: Log;
    store: SearchStore;
    annotator: Annotator;
    connectors: IngestConnector[];
    cursors: IngestCursorStore;
    since?: string;
    until?: string;
    signal: AbortSignal;
  },
): Promise<PipelineResult> {
  let progress: Progress | undefined;
  let stage = '';
  const notices = { annotate: retryNotice(io, 'annotate'), index: retryNotice(io, 'index') };
  return runPipeline({
    ...parts,
    config,
    onRetry: (s, err, attempt, delay) => notices[s].onRetry(err, attempt, delay),
    onStage: async (next) => {
      progress?.done();
      stage = next;
      progress = new Progress(io, next, { unit: next === 'annotate' ? 'articles' : 'records' });
      if (next === 'annotate' || next === 'index') {
        const group = next === 'annotate' ? ANNOTATE_GROUP : INDEX_GROUP;
        const topics = next === 'annotate' ? [config.topics.articles] : [config.topics.articles, config.topics.annotations];
        const lag = await parts.log.lag(group, topics);
        progress.setTotal(lag.reduce((sum, p) => sum + p.lag, 0));
      }
    },
    onProgress: (p) => {
      if (p.stage === 'annotate' || p.stage === 'index') notices[p.stage].recovered();
      if (p.stage === stage && progress) progress.tick(p.count - progress.value);
    },
  })
    .then(async (result) => {
      if (!parts.signal.aborted) {
        await assertCaughtUp(parts.log, config);
        // Every run appends a new version of each record it saw: clean up so the log stays its size.
        await compactLog(parts.log, io.err);
      }
      return result;
    })
    .finally(() => progress?.done());
}

/**
 * A run is complete only when annotate and index have nothing left: on the embedded log, where the
 * run is the only consumer, any lag left means work was skipped, and the run must not say "ok".
 * (On Kafka other workers of the same groups may own partitions, so their lag is theirs.)
 */
async function assertCaughtUp(log: Log, config: CommandContext['config']): Promise<void> {
  if (log.kind !== 'embedded') return;
  const t = config.topics;
  const pending: string[] = [];
  for (const [group, topics] of [
    [ANNOTATE_GROUP, [t.articles]],
    [INDEX_GROUP, [t.articles, t.annotations]],
  ] as const) {
    const lag = (await log.lag(group, [...topics])).reduce((sum, p) => sum + p.lag, 0);
    if (lag > 0) pending.push(`${group}: ${lag} records`);
  }
  if (pending.length) {
    throw new LitmineError('LITMINE_LOG_UNAVAILABLE', `work still pending after the run (${pending.join(', ')}); rerun to finish it`);
  }
}

export function printSummary({ io, config }: CommandContext, r: PipelineResult, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(r, null, 2));
    return;
  }
  const skipped = Object.entries(r.ingest.skipped)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  io.out(
    [
      `ingested ${r.ingest.articles} articles and ${r.ingest.deletes} deletes in ${r.seconds.ingest.toFixed(1)} s` +
        `${r.ingest.errors ? `, ${r.ingest.errors} bad records dead-lettered` : ''}${skipped ? `, skipped ${skipped}` : ''}` +
        invalidUtf8Note(r.ingest.invalidUtf8),
      ...ingestProblemLines(r.ingest, config.topics.deadLetters),
      `annotated ${r.annotate.articles} articles: ${r.annotate.mentions} mentions, ${r.annotate.relations} relations in ${r.seconds.annotate.toFixed(1)} s` +
        `${r.annotate.deadLetters ? `, ${r.annotate.deadLetters} dead-lettered` : ''}`,
      `indexed ${r.index.upserts} articles, ${r.index.annotations} annotations, ${r.index.deletes} deletes in ${r.seconds.index.toFixed(1)} s` +
        `${r.index.deadLetters ? `, ${r.index.deadLetters} dead-lettered` : ''}`,
      `store now holds ${r.counts.articles} articles, ${r.counts.sentences} sentences, ${r.counts.mentions} mentions, ${r.counts.relations} relations`,
    ].join('\n'),
  );
}
