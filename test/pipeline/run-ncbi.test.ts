// `litmine run` against a local NCBI stand-in (real recorded esearch answers, real PubMed and PMC XML
// as efetch bodies): one window by hand goes through to the store, a crash in the middle and a rerun
// give each article exactly once, and the plain daily `litmine run` catches up yesterday.
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { FakeNcbi, pmcDocs, pubmedDocs } from '../connectors/fake-ncbi.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { TINY_NER } from '../nlp/tiny-models.js';
import { litmine } from './cli-io.js';

// Serial: one NCBI stand-in and one process environment per test.
const sharedTest = hasSharedData ? test.serial : test.skip;
const DAYS = ['2026-01-01', '2026-01-02', '2026-01-03'];

// The model is not under test here: the small committed fixtures keep these runs quick.
process.env.LITMINE_NER_MODEL = TINY_NER;
process.env.LITMINE_RE_MODEL = 'none';

async function fakeNcbi(days: string[]) {
  const esearch = readFileSync(sharedPath('eutils', 'biopython', 'esearch2.xml'), 'utf8');
  const pubmed = pubmedDocs([sharedPath('pubmed-xml', 'fatcat', 'pubmedsample_2019.xml')], days);
  const pmc = pmcDocs([sharedPath('pmc-jats-more', 'ncbiutils', 'pmc.xml'), sharedPath('pmc-jats', 'biopython', 'efetch_pmc.xml')], days);
  return { pubmed, pmc, server: await new FakeNcbi({ pubmed, pmc }, esearch).start() };
}

function dataDirWithConfig(): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-run-ncbi-'));
  const config = join(dir, 'litmine.config.json');
  writeFileSync(config, JSON.stringify({ ncbi: { efetchBatchSize: 40, email: 'ops@example.org' } }));
  return { dir, config };
}

async function storedIds(dir: string): Promise<{ store: number; topicKeys: string[] }> {
  const store = new SqliteStore({ path: join(dir, 'store.sqlite') });
  await store.init();
  const counts = await store.counts();
  await store.close();
  const log = openEmbeddedLog(join(dir, 'log.sqlite'));
  const keys = (await log.readAll('litmine.articles')).map((m) => m.key!);
  await log.close();
  return { store: counts.articles, topicKeys: keys };
}

sharedTest('litmine run --source pubmed --since … goes through to the store; a crash and a rerun give each article once', async (t) => {
  const { pubmed, server } = await fakeNcbi(DAYS);
  process.env.LITMINE_EUTILS_URL = server.baseUrl;
  try {
    const { dir, config } = dataDirWithConfig();
    const inWindow = pubmed.filter((d) => d.day <= '2026-01-02');
    const windowRun = [
      'run',
      '--data-dir',
      dir,
      '--config',
      config,
      '--source',
      'pubmed',
      '--since',
      '2026-01-01',
      '--until',
      '2026-01-02',
    ];
    // The second efetch answers 400 (not retriable): the run stops after its first batch.
    server.faults.efetch = [
      { kind: 'slow', ms: 1 },
      { kind: 'status', status: 400, body: 'Bad Request' },
    ];
    const crashed = await litmine(...windowRun);
    t.is(crashed.code, 1, crashed.err);
    t.regex(crashed.err, /LITMINE_HTTP_FAILED/);
    const afterCrash = await storedIds(dir);
    t.is(afterCrash.topicKeys.length, 40, 'the first batch is in the log');

    const rerun = await litmine(...windowRun);
    t.is(rerun.code, 0, rerun.err);
    const after = await storedIds(dir);
    t.is(after.store, inWindow.length);
    t.is(after.topicKeys.length, inWindow.length, 'no article produced twice');
    t.deepEqual([...after.topicKeys].sort(), inWindow.map((d) => `pmid:${d.uid}`).sort());

    const esearches = server.requests('esearch');
    t.true(
      esearches.every(
        (r) =>
          r.params.db === 'pubmed' && r.params.usehistory === 'y' && r.params.mindate === '2026/01/01' && r.params.maxdate === '2026/01/02',
      ),
    );
    t.true(server.maxInWindow(1000) <= 3, 'never more than 3 requests a second without a key');

    const status = JSON.parse((await litmine('status', '--data-dir', dir, '--json')).out);
    t.is(status.articles, inWindow.length);
    t.deepEqual(
      status.runs.map((r: { ok: boolean }) => r.ok),
      [true, false],
      'both runs recorded, newest first',
    );
  } finally {
    await server.stop();
  }
});

sharedTest('the plain daily `litmine run` catches up yesterday from PubMed and PMC, then is up to date', async (t) => {
  const yesterday = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
  const { pubmed, pmc, server } = await fakeNcbi([yesterday]);
  process.env.LITMINE_EUTILS_URL = server.baseUrl;
  try {
    const { dir, config } = dataDirWithConfig();
    const first = await litmine('run', '--data-dir', dir, '--config', config);
    t.is(first.code, 0, first.err);
    t.regex(first.out, /1 of 1 day\(s\) done/);
    const stored = await storedIds(dir);
    const distinct = new Set(stored.topicKeys);
    t.is(stored.store, distinct.size, 'one stored document per id, PubMed and PMC merged');
    for (const d of pubmed) t.true(distinct.has(`pmid:${d.uid}`));
    const status = JSON.parse((await litmine('status', '--data-dir', dir, '--json')).out);
    t.true(status.runs[0].counts.pmc.articles > 0, 'PMC full texts came too');
    t.true(stored.store > pubmed.length);
    t.true(pmc.length > 0);
    const second = await litmine('run', '--data-dir', dir, '--config', config);
    t.is(second.code, 0);
    t.regex(second.out, /up to date/);
  } finally {
    await server.stop();
  }
});
