// The stage counters in prom-client's default registry (what /metrics and `worker --metrics-port`
// serve) move when the topologies process records: records in/out, dead letters, model time.
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'prom-client';
import { defaultConfig } from '../../src/config/config-schema.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runPipeline } from '../../topologies/pipeline.js';
import { article } from './articles.js';
import { DictionaryAnnotator } from './dictionary-annotator.js';

async function series(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of await register.getMetricsAsJSON()) {
    for (const v of m.values) {
      const name = (v as { metricName?: string }).metricName ?? m.name;
      const labels = Object.entries(v.labels)
        .filter(([k]) => k !== 'le')
        .map(([k, l]) => `${k}=${l}`)
        .join(',');
      if ('le' in v.labels) continue;
      out.set(`${name}{${labels}}`, Number(v.value));
    }
  }
  return out;
}

test('running the pipeline moves the per-stage counters and the model timer', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-metrics-'));
  const log = openEmbeddedLog(join(dir, 'log.sqlite'));
  const store = new SqliteStore({ path: join(dir, 'store.sqlite') });
  const records = [
    article('3001', 'Cisplatin caused nephrotoxicity in rats.'),
    article('3002', 'This sentence is POISON for the model.'),
  ].map((a, index) => ({ kind: 'article' as const, article: a, index }));
  const before = await series();
  await runPipeline({
    log,
    store,
    annotator: new DictionaryAnnotator(),
    connectors: [
      {
        source: 'files',
        async *batches() {
          yield { records, cursor: '{}', source: 'files' };
        },
      },
    ],
    cursors: { set: async () => undefined },
    config: { topics: defaultConfig.topics, log: defaultConfig.log },
  });
  const after = await series();
  const moved = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  t.is(moved('litmine_stage_records_in_total{stage=ingest}'), 2);
  t.is(moved('litmine_stage_records_out_total{stage=ingest}'), 2);
  t.is(moved('litmine_stage_records_in_total{stage=annotate}'), 2);
  t.is(moved('litmine_stage_dead_letters_total{stage=annotate,code=LITMINE_ANNOTATE}'), 1);
  t.true(moved('litmine_model_seconds_count{stage=annotate}') >= 1);
  t.true(moved('litmine_model_sentences_total{stage=annotate}') > 0);
  // Index reads the two articles and the one annotation, and writes all three.
  t.is(moved('litmine_stage_records_in_total{stage=index}'), 3);
  t.is(moved('litmine_stage_records_out_total{stage=index}'), 3);
  t.true(moved('litmine_stage_batch_seconds_count{stage=index}') >= 1);
  await log.close();
  await store.close();
});
