/**
 * `litmine worker annotate|index`: a long-running stage worker in a consumer group. Start several to
 * split the partitions; SIGTERM finishes (or abandons) the in-flight batch and leaves the group.
 *
 * `--metrics-port` serves the stage counters for Prometheus on 127.0.0.1.
 *
 *   LITMINE_LOG=kafka LITMINE_KAFKA_BROKERS=broker:9092 litmine worker annotate --id worker-1 --metrics-port 9464
 */
import { hostname } from 'node:os';
import type { Command } from '../command.js';
import { PORT } from '../flag-values.js';
import { compactPeriodically } from '../log-maintenance.js';
import { openAnnotator, openLog, openStore } from '../open-services.js';
import { Progress } from '../progress.js';
import { serveMetrics } from '../../observability/metrics-server.js';
import { retryNotice } from '../retry-notice.js';
import { RetryAborted, retryBatch } from '../../log/retry-batch.js';
import { LitmineError } from '../../errors.js';
import { initialized } from '../../store/initialized.js';
import type { SearchStore } from '../../store/store.js';
import { runAnnotate } from '../../../topologies/annotate.js';
import { runIndex } from '../../../topologies/index.js';
import type { ConsumingStageOptions } from '../../../topologies/stage-options.js';
import { topicSpecs } from '../../../topologies/topics.js';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run the annotate or index stage as a consumer-group worker until stopped',
  usage: 'litmine worker annotate|index [--id WORKER_ID] [--until-idle] [--batch N] [--metrics-port PORT]',
  options: {
    id: { type: 'string' },
    'until-idle': { type: 'boolean' },
    batch: { type: 'string', value: { kind: 'integer', min: 1, max: 100_000 } },
    'metrics-port': { type: 'string', value: PORT },
  },
  async run({ values, positionals }, context) {
    const { config, io, signal } = context;
    const stage = positionals[0];
    if (stage !== 'annotate' && stage !== 'index') {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const workerId = (values.id as string | undefined) ?? `${hostname()}-${process.pid}`;
    const untilIdle = Boolean(values['until-idle']);
    const maxBatchSize = values.batch as number | undefined;
    const metricsPort = values['metrics-port'] as number | undefined;
    // Prometheus scrapes the stage counters from here (127.0.0.1 only: put a proxy in front to expose them).
    const metrics = metricsPort === undefined ? undefined : await serveMetrics(metricsPort);
    if (metrics) io.err(`worker ${workerId}: metrics at http://127.0.0.1:${metrics.port}/metrics`);
    const log = await openLog(config);
    // A worker that runs for days keeps the embedded log it reads from cleaned (stopped on SIGTERM).
    const stopCleaning = new AbortController();
    signal.addEventListener('abort', () => stopCleaning.abort(), { once: true });
    if (!untilIdle) compactPeriodically(log, io.err, stopCleaning.signal);
    const notice = retryNotice(io, `worker ${workerId} ${stage}`);
    // A worker started while its log or store is down waits for them (visibly) instead of exiting.
    const untilAvailable = <T>(fn: () => Promise<T>) =>
      retryBatch(fn, { signal, retry: { maxMs: 15_000 }, onRetry: notice.onRetry }).catch((err: unknown) => {
        if (err instanceof RetryAborted)
          throw new LitmineError('LITMINE_INTERRUPTED', `worker ${workerId}: stopped while waiting`, { cause: err.lastError });
        throw err;
      });
    try {
      await untilAvailable(() => log.ensureTopics(topicSpecs(config)));
      notice.recovered();
      io.err(`worker ${workerId}: ${stage} on the ${config.log.kind} log${untilIdle ? ' (until idle)' : ' (until SIGTERM)'}`);
      const consuming: ConsumingStageOptions = {
        log,
        topics: config.topics,
        untilIdle,
        signal,
        workerId,
        maxBatchSize,
        onRetry: notice.onRetry,
      };
      // A batch that went through means the log (and store) answer again.
      const ticking = (progress: Progress) => (n: number) => {
        notice.recovered();
        progress.tick(n);
      };
      if (stage === 'annotate') {
        const annotator = await openAnnotator(config, context.installDir, io.err);
        const progress = new Progress(io, `worker ${workerId} annotate`, { unit: 'articles' });
        const tick = ticking(progress);
        try {
          const result = await runAnnotate({ ...consuming, annotator, onBatch: (s) => tick(s.articles) });
          progress.done(`${result.batches} batches, ${result.produced} records produced`);
        } finally {
          await annotator.close();
        }
      } else {
        const store: SearchStore = await untilAvailable(async () => initialized(await openStore(config)));
        notice.recovered();
        const progress = new Progress(io, `worker ${workerId} index`, { unit: 'records' });
        const tick = ticking(progress);
        try {
          const result = await runIndex({ ...consuming, store, onBatch: (s) => tick(s.upserts + s.deletes + s.annotations) });
          progress.done(`${result.batches} batches`);
        } finally {
          await store.close();
        }
      }
      return 0;
    } finally {
      stopCleaning.abort();
      await log.close();
      await metrics?.close();
    }
  },
};
