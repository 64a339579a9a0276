/**
 * Shared set-up of the service fault tests: the 195 real abstracts ingested and annotated once with
 * the committed models into an embedded log (the template), copied for each test with its own
 * config (same topics, own index prefix or log), so each test spends its time on the fault and not
 * on the models.
 *
 *   const template = await annotatedTemplate();  const s = fromTemplate(template, { store: … });
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { INDEX_GROUP } from '../../topologies/index.js';
import { ABSTRACTS_XML, runLitmine, setupDataDir, type TestSetup } from '../integration/pipeline-helpers.js';

let template: Promise<TestSetup> | undefined;

/** Ingest + annotate once (about a minute on 2 cores); later calls get the same folder. */
export function annotatedTemplate(): Promise<TestSetup> {
  template ??= (async () => {
    const s = setupDataDir();
    const from = ABSTRACTS_XML().flatMap((p) => ['--from', p]);
    const ingest = await runLitmine(['ingest', '--data-dir', s.dir, '--config', s.config, ...from]);
    if (ingest.code !== 0) throw new Error(`ingest failed: ${ingest.output}`);
    const annotate = await runLitmine(['worker', 'annotate', '--until-idle', '--data-dir', s.dir, '--config', s.config]);
    if (annotate.code !== 0) throw new Error(`annotate failed: ${annotate.output}`);
    return s;
  })();
  return template;
}

/** A new data directory holding a copy of the template's log, with its own config. */
export function fromTemplate(t: TestSetup, extra: Record<string, unknown>): TestSetup {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-fault-'));
  copyFileSync(join(t.dir, 'log.sqlite'), join(dir, 'log.sqlite'));
  const config = join(dir, 'litmine.config.json');
  writeFileSync(config, JSON.stringify({ topics: t.topics, ...extra }, null, 2));
  return { dir, config, suffix: t.suffix, topics: t.topics };
}

/** Records the index group still has to read (embedded log). */
export async function indexLag(s: TestSetup): Promise<number> {
  const log = openEmbeddedLog(join(s.dir, 'log.sqlite'));
  try {
    return (await log.lag(INDEX_GROUP, [s.topics.articles, s.topics.annotations])).reduce((n, p) => n + p.lag, 0);
  } finally {
    await log.close();
  }
}

/**
 * Appends a second copy of every article and annotation to the log (a replay, as a re-ingest makes),
 * so a worker struck by a fault is sure to have work left whatever the machine's speed. The index
 * stage overwrites by id, and the counts treat an annotation per article copy as no duplicate.
 */
export async function replayIndexInputs(s: TestSetup): Promise<void> {
  const log = openEmbeddedLog(join(s.dir, 'log.sqlite'));
  try {
    for (const topic of [s.topics.articles, s.topics.annotations]) {
      const messages = await log.readAll(topic, { readCommitted: true });
      await log.produce(messages.map((m) => ({ topic, key: m.key, value: m.value, headers: m.headers })));
    }
  } finally {
    await log.close();
  }
}
