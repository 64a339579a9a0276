/**
 * `litmine export --out` over a data directory ingested from real PubMed XML: a path inside the
 * data directory (directly, through `..` or through a symlink) is refused and the log still works;
 * an existing file is kept unless --force; the file appears whole under its name, with no temporary
 * file left beside it.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { checkOutputFile, writeOutputFile } from '../../src/cli/output-file.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { litmine } from '../pipeline/cli-io.js';

const XML = () => sharedPath('pubmed-xml', 'fatcat', 'pubmedsample_2019.xml');

async function ingested(): Promise<{ dataDir: string; outDir: string }> {
  const root = mkdtempSync(join(tmpdir(), 'litmine-export-out-'));
  const dataDir = join(root, 'data');
  const outDir = join(root, 'out');
  mkdirSync(outDir);
  const r = await litmine('ingest', '--data-dir', dataDir, '--from', XML());
  if (r.code !== 0) throw new Error(r.err);
  return { dataDir, outDir };
}

const exportTo = (dataDir: string, out: string, ...more: string[]) =>
  litmine('export', '--format', 'pubtator', '--data-dir', dataDir, '--out', out, ...more);

sharedTest('export --out refuses the data directory, however it is spelled, and the log stays readable', async (t) => {
  const { dataDir, outDir } = await ingested();
  const log = readFileSync(join(dataDir, 'log.sqlite'));
  symlinkSync(dataDir, join(outDir, 'link'));
  for (const out of [
    join(dataDir, 'log.sqlite'),
    join(dataDir, 'new.txt'),
    join(outDir, '..', 'data', 'log.sqlite'),
    join(outDir, 'link', 'log.sqlite'),
  ]) {
    const r = await exportTo(dataDir, out, '--force');
    t.is(r.code, 2, out);
    t.regex(r.err, /LITMINE_USAGE: --out .* is inside the data directory/, out);
  }
  t.deepEqual(readFileSync(join(dataDir, 'log.sqlite')), log);
  const status = await litmine('status', '--data-dir', dataDir, '--json');
  t.is(status.code, 0, status.err);
  t.true(JSON.parse(status.out).topics.some((topic: { messages: number }) => topic.messages > 0));
});

sharedTest('export --out keeps an existing file unless --force, and writes through a temporary name', async (t) => {
  const { dataDir, outDir } = await ingested();
  const out = join(outDir, 'export.txt');
  writeFileSync(out, 'keep me\n');
  const refused = await exportTo(dataDir, out);
  t.is(refused.code, 2);
  t.regex(refused.err, /LITMINE_USAGE: --out .*export\.txt already exists; pass --force to replace it/);
  t.is(readFileSync(out, 'utf8'), 'keep me\n');

  const forced = await exportTo(dataDir, out, '--force');
  t.is(forced.code, 0, forced.err);
  t.regex(forced.err, /export: \d+ document\(s\).* → .*export\.txt/);
  t.regex(readFileSync(out, 'utf8'), /^\d+\|t\|/);

  const fresh = await exportTo(dataDir, join(outDir, 'fresh.txt'));
  t.is(fresh.code, 0, fresh.err);
  t.deepEqual(readdirSync(outDir).sort(), ['export.txt', 'fresh.txt']);
});

test('a file that appears between the check and the write is not replaced without force', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-out-race-'));
  const path = join(dir, 'late.txt');
  const out = checkOutputFile(path, { dataDir: join(dir, 'data'), force: false });
  writeFileSync(path, 'written meanwhile');
  t.throws(() => writeOutputFile(out, 'export'), { message: /already exists; pass --force/ });
  t.is(readFileSync(path, 'utf8'), 'written meanwhile');
  t.deepEqual(readdirSync(dir), ['late.txt']);
});
