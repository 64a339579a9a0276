/**
 * The daily job once: ingest (every connector given) → annotate → index, each stage draining what
 * the previous one produced. Used by `litmine run` and by the schedule for each day it catches up.
 *
 *   const result = await runPipeline({ log, store, annotator, connectors, cursors, topics });
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { Log } from '../src/log/log.js';
import type { Annotator } from '../src/nlp/annotator.js';
import type { SearchStore, StoreCounts } from '../src/store/store.js';
import { runAnnotate } from './annotate.js';
import { runIndex } from './index.js';
import { addIngestProblems, addInvalidUtf8, runIngest, type IngestConnector, type IngestCursorStore, type IngestStats } from './ingest.js';
import { topicSpecs } from './topics.js';

export interface PipelineProgress {
  stage: 'ingest' | 'annotate' | 'index';
  /** Records handled so far in this stage. */
  count: number;
}

export interface PipelineOptions {
  log: Log;
  store: SearchStore;
  annotator: Annotator;
  connectors: IngestConnector[];
  cursors: IngestCursorStore;
  config: Pick<LitmineConfig, 'topics' | 'log'>;
  since?: string;
  until?: string;
  signal?: AbortSignal;
  onProgress?: (p: PipelineProgress) => void;
  /** Called as each stage starts (the CLI sizes its progress display from the log's lag). */
  onStage?: (stage: PipelineProgress['stage']) => Promise<void> | void;
  /** Told of every retriable failure annotate or index waits out (log or store unavailable, disk busy). */
  onRetry?: (stage: 'annotate' | 'index', err: unknown, attempt: number, delayMs: number) => void;
}

export interface PipelineResult {
  ingest: IngestStats;
  annotate: { articles: number; mentions: number; relations: number; deadLetters: number };
  index: { upserts: number; deletes: number; annotations: number; deadLetters: number };
  counts: StoreCounts;
  seconds: { ingest: number; annotate: number; index: number };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { log, store, annotator, config, signal } = options;
  const topics = config.topics;
  await log.ensureTopics(topicSpecs(config));
  await store.init();

  let t = Date.now();
  await options.onStage?.('ingest');
  const ingest: IngestStats = { batches: 0, articles: 0, deletes: 0, errors: 0, skipped: {}, bySource: {} };
  for (const connector of options.connectors) {
    const stats = await runIngest({
      log,
      connector,
      cursors: options.cursors,
      topics,
      since: options.since,
      until: options.until,
      signal,
      onBatch: (s) => options.onProgress?.({ stage: 'ingest', count: ingest.articles + ingest.deletes + s.articles + s.deletes }),
    });
    ingest.batches += stats.batches;
    ingest.articles += stats.articles;
    ingest.deletes += stats.deletes;
    ingest.errors += stats.errors;
    addInvalidUtf8(ingest, stats.invalidUtf8);
    addIngestProblems(ingest, stats);
    for (const [reason, n] of Object.entries(stats.skipped)) ingest.skipped[reason] = (ingest.skipped[reason] ?? 0) + n;
    for (const [source, s] of Object.entries(stats.bySource)) {
      const into = (ingest.bySource[source] ??= { articles: 0, deletes: 0, errors: 0 });
      into.articles += s.articles;
      into.deletes += s.deletes;
      into.errors += s.errors;
    }
  }
  const seconds = { ingest: (Date.now() - t) / 1000, annotate: 0, index: 0 };

  t = Date.now();
  const annotate = { articles: 0, mentions: 0, relations: 0, deadLetters: 0 };
  if (!signal?.aborted) {
    await options.onStage?.('annotate');
    await runAnnotate({
      log,
      annotator,
      topics,
      untilIdle: true,
      signal,
      onRetry: (err, attempt, delay) => options.onRetry?.('annotate', err, attempt, delay),
      onBatch: (s) => {
        annotate.articles += s.articles;
        annotate.mentions += s.mentions;
        annotate.relations += s.relations;
        annotate.deadLetters += s.deadLetters;
        options.onProgress?.({ stage: 'annotate', count: annotate.articles });
      },
    });
  }
  seconds.annotate = (Date.now() - t) / 1000;

  t = Date.now();
  const index = { upserts: 0, deletes: 0, annotations: 0, deadLetters: 0 };
  if (!signal?.aborted) {
    await options.onStage?.('index');
    await runIndex({
      log,
      store,
      topics,
      untilIdle: true,
      signal,
      onRetry: (err, attempt, delay) => options.onRetry?.('index', err, attempt, delay),
      onBatch: (s) => {
        index.upserts += s.upserts;
        index.deletes += s.deletes;
        index.annotations += s.annotations;
        index.deadLetters += s.deadLetters;
        options.onProgress?.({ stage: 'index', count: index.upserts + index.deletes + index.annotations });
      },
    });
    await store.refresh();
  }
  seconds.index = (Date.now() - t) / 1000;

  return { ingest, annotate, index, counts: await store.counts(), seconds };
}
