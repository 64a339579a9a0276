/**
 * Faults on the embedded default (SQLite log and store), with the committed models and the 195 real
 * PubMed abstracts: `litmine run` SIGKILLed mid-annotate and rerun at once; the data directory's
 * file system full (a 2 MiB tmpfs), then grown and the run repeated; a record over the size limit
 * among good ones. Each test counts, by document id, what reached the annotations topic and the
 * store, and asserts 0 lost and 0 duplicated with no manual step between the runs.
 *
 *   npm run test:faults -- --match '*embedded*'
 */
import test from 'ava';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { ABSTRACTS_XML, runLitmine, setupDataDir, startLitmine, type TestSetup, waitFor } from '../integration/pipeline-helpers.js';
import { logCounts, report, sqliteStoreIds, verdict } from './fault-counts.js';
import { oversizedInput } from './fault-inputs.js';

/** Mounting a size-limited tmpfs needs root (CI and this machine have it); elsewhere the test is skipped. */
const fullDiskTest = (() => {
  const probe = mkdtempSync(join(tmpdir(), 'litmine-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return test.serial;
  } catch {
    return test.skip;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

const abstracts = () => ABSTRACTS_XML().flatMap((p) => ['--from', p]);
const args = (s: TestSetup, dir = s.dir) => ['--data-dir', dir, '--config', s.config];

async function countsOf(s: TestSetup, dir = s.dir) {
  const log = openEmbeddedLog(join(dir, 'log.sqlite'));
  try {
    const c = await logCounts(log, s.topics);
    return { c, v: verdict(c, sqliteStoreIds(dir)) };
  } finally {
    await log.close();
  }
}

/** Messages in a topic of the embedded log, read without taking any lock a writer needs. */
function messagesIn(dir: string, topic: string, valuesOnly = false): number {
  const path = join(dir, 'log.sqlite');
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const sql = `SELECT count(*) AS n FROM messages WHERE topic = ?${valuesOnly ? ' AND value IS NOT NULL' : ''}`;
    return (db.prepare(sql).get(topic) as { n: number }).n;
  } catch {
    return 0; // schema not created yet
  } finally {
    db.close();
  }
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

test.serial(
  'embedded: `litmine run` SIGKILLed mid-annotate, then rerun at once: every article once, run recorded only when complete',
  async (t) => {
    const s = setupDataDir();
    const first = startLitmine(['run', ...args(s), ...abstracts()]);
    await waitFor('some committed annotations', () => messagesIn(s.dir, s.topics.annotations) >= 16, 180_000);
    first.process.kill('SIGKILL');
    await first.exit;
    const before = messagesIn(s.dir, s.topics.annotations, true);
    // Ingest was complete when annotate began: every article message here needs one annotation.
    const articleMessages = messagesIn(s.dir, s.topics.articles, true);
    const t0 = Date.now();
    // At once: the dead run's partition leases (30 s) are still in the log.
    const rerun = await runLitmine(['run', ...args(s), ...abstracts()]);
    const rerunSeconds = (Date.now() - t0) / 1000;
    t.is(rerun.code, 0, rerun.output);
    const annotated = Number(/annotated (\d+) articles/.exec(rerun.output)?.[1]);
    const { c, v } = await countsOf(s);
    t.true(before < c.expected.size, `killed mid-annotate (${before}/${c.expected.size})`);
    // Counted from the run's own report: its log cleaning has since compacted the annotations topic
    // (an article delivered twice keeps one annotation).
    t.is(before + annotated, articleMessages, 'the rerun annotates exactly what the killed run had not committed');
    t.is(v.lost, 0);
    t.is(v.duplicated, 0);
    t.is(v.sentencesStored, v.sentencesExpected);
    t.is(v.stored, v.expected);
    const status = await runLitmine(['status', '--json', ...args(s)]);
    const runs = (JSON.parse(status.stdout) as { runs: { ok: boolean }[] }).runs;
    t.true(runs.length >= 1 && runs[0]!.ok, status.stdout);
    report('SIGKILL of `litmine run` mid-annotate (embedded), immediate rerun', {
      ...v,
      committedBeforeKill: before,
      rerunAnnotated: annotated,
      rerunSeconds,
    });
    t.log(JSON.stringify({ ...v, before, annotated, rerunSeconds }));
  },
);

fullDiskTest(
  'embedded: the data directory full (2 MiB tmpfs): a clear error naming it, integrity kept, then grown and rerun: nothing lost or doubled',
  async (t) => {
    const mnt = mkdtempSync(join(tmpdir(), 'litmine-full-mnt-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { stdio: 'ignore' });
    const s = setupDataDir();
    const dir = join(mnt, 'data');
    mkdirSync(dir);
    try {
      const full = await runLitmine(['run', ...args(s, dir), ...abstracts()]);
      t.is(full.code, 1, full.output);
      t.regex(
        full.output,
        new RegExp(`LITMINE_DISK_FULL: the file system at ${mnt} \\(tmpfs\\) holding ${dir}/\\S+ is full \\(\\d+ bytes free of 2097152\\)`),
      );
      t.false(/LITMINE_INTERNAL/.test(full.output), full.output);
      for (const f of ['log.sqlite', 'store.sqlite']) if (existsSync(join(dir, f))) t.is(integrity(join(dir, f)), 'ok', f);
      const partial = messagesIn(dir, s.topics.annotations);
      // The operator frees space (here: the file system grows) and runs the same command again.
      execFileSync('mount', ['-o', 'remount,size=256m', mnt]);
      const t0 = Date.now();
      const again = await runLitmine(['run', ...args(s, dir), ...abstracts()]);
      const rerunSeconds = (Date.now() - t0) / 1000;
      t.is(again.code, 0, again.output);
      for (const f of ['log.sqlite', 'store.sqlite']) t.is(integrity(join(dir, f)), 'ok', f);
      const { v } = await countsOf(s, dir);
      t.is(v.lost, 0);
      t.is(v.duplicated, 0);
      t.is(v.sentencesStored, v.sentencesExpected);
      t.is(v.stored, v.expected);
      report('embedded data directory full (2 MiB tmpfs), then space freed and rerun', {
        ...v,
        annotatedBeforeFull: partial,
        rerunSeconds,
      });
      t.log(JSON.stringify({ ...v, partial, rerunSeconds, error: /LITMINE_DISK_FULL[^\n]*/.exec(full.output)?.[0] }));
    } finally {
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  },
);

test.serial('embedded: a 50 MB record among good ones is dead-lettered with its position; every other record is ingested', async (t) => {
  const { path, ids, victim, index, cleanup } = await oversizedInput();
  const s = setupDataDir();
  try {
    const ingest = await runLitmine(['ingest', ...args(s), '--from', path]);
    t.is(ingest.code, 0, ingest.output);
    const log = openEmbeddedLog(join(s.dir, 'log.sqlite'));
    const c = await logCounts(log, s.topics);
    await log.close();
    t.deepEqual([...c.expected].sort(), ids.filter((id) => id !== victim).sort());
    t.is(c.deadLetters.length, 1);
    t.is(c.deadLetters[0]!.code, 'LITMINE_RECORD_TOO_LARGE');
    t.is(c.deadLetters[0]!.key, null);
    t.true(
      c.deadLetters[0]!.message.includes(`oversized.xml: record ${index} (<PubmedArticle> PMID ${victim.slice(5)}) at `),
      c.deadLetters[0]!.message,
    );
    t.regex(c.deadLetters[0]!.message, /: \d+ characters, over the limit of \d+; skipped/);
    report('a 50 MB record among 182 good ones (embedded log)', {
      expected: ids.length - 1,
      ingested: c.expected.size,
      deadLettered: c.deadLetters.length,
      lost: 0,
    });
  } finally {
    cleanup();
  }
});
