// `litmine run --from` three times over a folder that gets the same real PubMed file again under a
// new name each time, as update files re-deliver records already seen. Every run writes each
// article, annotation, mention and relation again, and the run's log cleaning keeps only the latest
// per key (entities and relations are keyed by mention / relation id), so log.sqlite stays one run's
// size. Past the streams' 28-day retention the mentions and relations go too.
import test from 'ava';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { TINY_NER } from '../nlp/tiny-models.js';
import { litmine } from './cli-io.js';

const sharedTest = hasSharedData ? test : test.skip;
process.env.LITMINE_NER_MODEL = TINY_NER;
process.env.LITMINE_RE_MODEL = 'none';

const onDisk = (path: string) => statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

sharedTest('repeated runs of the same input keep one version per record: log.sqlite stays one run in size', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-growth-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const input = join(dir, 'input');
  mkdirSync(input);
  const data = join(dir, 'data');
  const logPath = join(data, 'log.sqlite');

  const sizes: number[] = [];
  let articles = 0;
  let live = 0;
  for (let run = 1; run <= 3; run++) {
    // The real file goes to a temporary folder, never into the repository; a new name is new input.
    copyFileSync(sharedPath('pubmed-xml', 'fatcat', 'pubmedsample_2019.xml'), join(input, `delivery-${run}.xml`));
    const result = await litmine('run', '--data-dir', data, '--from', input);
    t.is(result.code, 0, result.err);
    const removed = Number(/log cleaned: (\d+) superseded or expired records removed/.exec(result.err)?.[1]);
    // From run 2 on, the run wrote a second version of every record, which the cleaning removed.
    if (run > 1) t.true(removed >= articles, `run ${run} removed ${removed}`);
    sizes.push(onDisk(logPath));
    const log = openEmbeddedLog(logPath);
    const latest = await log.readAll('litmine.articles');
    await log.close();
    if (run === 1) {
      articles = latest.length;
      live = latest.filter((m) => m.value !== null).length;
    }
    // Each article once: the versions earlier runs wrote are gone, the latest one stays.
    t.is(latest.length, articles, `run ${run}`);
    t.is(new Set(latest.map((m) => m.key)).size, articles);
  }
  t.true(articles > 0);
  const status = JSON.parse((await litmine('status', '--data-dir', data, '--json')).out);
  // DeleteCitation tombstones are kept for a day (delete.retention), like the articles they delete.
  t.is(status.articles, live, 'the store still holds every article');
  // The file does not grow with re-deliveries: a few pages of slack for the file's own bookkeeping.
  for (const [i, size] of sizes.entries())
    t.true(size <= sizes[0]! + 256 * 1024, `after run ${i + 1}: ${size} bytes, ${sizes[0]} after one run`);
  // A day past the streams' retention, the cleaning the next run does drops the mention streams.
  const log = openEmbeddedLog(logPath);
  const settled = await log.compact({ now: Date.now() + 29 * 24 * 3_600_000 });
  await log.close();
  t.true(settled.reclaimedBytes > 0);
  const after = onDisk(logPath);
  t.log(`log.sqlite after runs 1-3: ${sizes.join(', ')} bytes; past the streams' retention: ${after}`);
  t.true(after < sizes[0]!, `${after} bytes left, ${sizes[0]} after one run`);
});
