/**
 * A read-only command on a data directory that does not exist (a mistyped --data-dir) fails with
 * LITMINE_INPUT_NOT_FOUND naming the directory, and creates neither the directory nor a store.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { litmine } from '../pipeline/cli-io.js';

const READ_ONLY: string[][] = [
  ['search', 'cancer'],
  ['search', 'cancer', '--sentences', '--json'],
  ['relations', 'cisplatin'],
  ['facets', 'Chemical'],
  ['ask', 'What causes nephrotoxicity?', '--no-ner'],
  ['entity', 'cisplatin'],
  ['export', '--format', 'biocjson'],
  ['export', '--format', 'pubtator', '--query', 'cell'],
  ['status'],
];

for (const argv of READ_ONLY) {
  test(`${argv.join(' ')} on a missing data directory fails and creates nothing`, async (t) => {
    const typo = join(mkdtempSync(join(tmpdir(), 'litmine-read-only-')), 'dta');
    const r = await litmine(...argv, '--data-dir', typo);
    t.is(r.code, 1, r.err);
    t.regex(r.err, new RegExp(`LITMINE_INPUT_NOT_FOUND: no data directory at ${typo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    t.is(r.out, '');
    t.false(existsSync(typo), 'the directory was not created');
  });
}
