/**
 * Per-stage counters and latencies in prom-client's default registry — the one `litmine serve`
 * exposes at /metrics and `litmine worker --metrics-port` serves (src/observability/metrics-server.ts).
 * topologies/record-batch.ts counts records in, out and dead letters; the annotator's model time and
 * store writes are timed where they happen.
 *
 *   stageMetrics.recordsIn.inc({ stage: 'annotate' }, batch.length);
 *   const end = stageMetrics.modelSeconds.startTimer({ stage: 'annotate' }); …; end();
 */
import { Counter, Gauge, Histogram, register } from 'prom-client';

/** Returns the metric already registered under the name (a module loaded twice must not register twice). */
function once<M>(name: string, make: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? make();
}

const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export const stageMetrics = {
  recordsIn: once(
    'litmine_stage_records_in_total',
    () => new Counter({ name: 'litmine_stage_records_in_total', help: 'Records a stage took in', labelNames: ['stage'] }),
  ),
  recordsOut: once(
    'litmine_stage_records_out_total',
    () =>
      new Counter({
        name: 'litmine_stage_records_out_total',
        help: 'Records a stage produced or wrote (messages, store operations)',
        labelNames: ['stage'],
      }),
  ),
  deadLetters: once(
    'litmine_stage_dead_letters_total',
    () =>
      new Counter({
        name: 'litmine_stage_dead_letters_total',
        help: 'Records a stage sent to the dead-letter topic, by error code',
        labelNames: ['stage', 'code'],
      }),
  ),
  batchSize: once(
    'litmine_stage_batch_size',
    () =>
      new Histogram({
        name: 'litmine_stage_batch_size',
        help: 'Records per batch a stage handled',
        labelNames: ['stage'],
        buckets: BATCH_BUCKETS,
      }),
  ),
  batchSeconds: once(
    'litmine_stage_batch_seconds',
    () =>
      new Histogram({
        name: 'litmine_stage_batch_seconds',
        help: 'Time a stage spent on one batch, outputs included',
        labelNames: ['stage'],
        buckets: SECONDS_BUCKETS,
      }),
  ),
  modelSeconds: once(
    'litmine_model_seconds',
    () =>
      new Histogram({
        name: 'litmine_model_seconds',
        help: 'Time in the models (NER + RE) per call, by stage',
        labelNames: ['stage'],
        buckets: SECONDS_BUCKETS,
      }),
  ),
  modelSentences: once(
    'litmine_model_sentences_total',
    () => new Counter({ name: 'litmine_model_sentences_total', help: 'Sentences sent through the models', labelNames: ['stage'] }),
  ),
  storeSeconds: once(
    'litmine_store_write_seconds',
    () =>
      new Histogram({
        name: 'litmine_store_write_seconds',
        help: 'Time of one store write (apply) per batch, by stage',
        labelNames: ['stage'],
        buckets: SECONDS_BUCKETS,
      }),
  ),
  // Outages a worker or run rides out (log or store down): visible while they last, not only in logs.
  retries: once(
    'litmine_retries_total',
    () =>
      new Counter({
        name: 'litmine_retries_total',
        help: 'Retriable failures waited out (log or store unavailable), by component and error code',
        labelNames: ['component', 'code'],
      }),
  ),
  waitingSeconds: once(
    'litmine_waiting_seconds',
    () =>
      new Gauge({
        name: 'litmine_waiting_seconds',
        help: 'Seconds the component has been waiting for its log or store (0 when it is not waiting)',
        labelNames: ['component'],
      }),
  ),
};

/** Times one batch of a stage: `return timeBatch('index', () => handle(batch))`. */
export async function timeBatch<T>(stage: string, work: () => Promise<T>): Promise<T> {
  const end = stageMetrics.batchSeconds.startTimer({ stage });
  try {
    return await work();
  } finally {
    end();
  }
}
