/**
 * The one flag parser: every command's misuse from the shell is LITMINE_USAGE (exit 2) naming the
 * flag and the value, answered before anything is opened (the data directory is not even created),
 * and every string flag is bounded in length. The rules themselves are checked on the boundary
 * values a careless user or a script sends.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { CommandOptions } from '../../src/cli/command.js';
import { checkFlags, DAY, limitRule, MAX_FLAG_CHARS, MAX_QUERY_CHARS, TEXT } from '../../src/cli/flag-values.js';
import { litmine } from '../pipeline/cli-io.js';

const HUGE = 'x'.repeat(100_000);

const MISUSES: [string, string[], RegExp][] = [
  ['entity --limit=-5', ['entity', 'cisplatin', '--limit=-5'], /--limit must be a whole number from 1 to 1000, got "-5"/],
  ['entity --limit abc', ['entity', 'cisplatin', '--limit', 'abc'], /--limit must be a whole number from 1 to 1000, got "abc"/],
  ['entity with 100 KB of text', ['entity', HUGE], /the entity is 100000 characters long; the limit is 2000/],
  ['entity --entity-type of 100 KB', ['entity', 'cisplatin', '--entity-type', HUGE], /--entity-type is 100000 characters long/],
  ['export --limit=-1', ['export', '--format', 'pubtator', '--limit=-1'], /--limit must be a whole number from 1 to 100000, got "-1"/],
  ['export --limit Infinity', ['export', '--format', 'pubtator', '--limit', 'Infinity'], /--limit must be a whole number/],
  ['export --query of 100 KB', ['export', '--format', 'pubtator', '--query', HUGE], /--query is 100000 characters long; the limit is 2000/],
  ['export --format bogus', ['export', '--format', 'bogus'], /--format must be one of biocjson, biocxml, pubtator, got "bogus"/],
  ['status --runs abc', ['status', '--runs', 'abc'], /--runs must be a whole number from 1 to 1000, got "abc"/],
  [
    'run --since 2026-13-45',
    ['run', '--source', 'pubmed', '--since', '2026-13-45'],
    /--since must be a date as YYYY-MM-DD, got "2026-13-45"/,
  ],
  ['run --until 2020-02-30', ['run', '--source', 'pmc', '--since', '2020-02-01', '--until', '2020-02-30'], /--until must be a date/],
  ['run --source bogus', ['run', '--source', 'bogus', '--since', '2020-02-01'], /--source must be one of pubmed, pmc, updatefiles, files/],
  ['ingest --since 2026-13-45', ['ingest', '--source', 'pubmed', '--since', '2026-13-45'], /--since must be a date as YYYY-MM-DD/],
  ['ingest --since 2026-01', ['ingest', '--source', 'pubmed', '--since', '2026-01'], /--since must be a date as YYYY-MM-DD/],
  [
    'ingest --from a 100 KB path',
    ['ingest', '--from', HUGE],
    new RegExp(`--from is 100000 characters long; the limit is ${MAX_FLAG_CHARS}`),
  ],
  ['worker --batch 0', ['worker', 'annotate', '--batch', '0'], /--batch must be a whole number from 1/],
  [
    'worker --metrics-port 70000',
    ['worker', 'index', '--metrics-port', '70000'],
    /--metrics-port must be a port number from 0 to 65535, got "70000"/,
  ],
  [
    'models --tolerance NaN',
    ['models', 'promote', 'nowhere', '--tolerance', 'NaN'],
    /--tolerance must be a number from 0 to 100, got "NaN"/,
  ],
  ['corpus --heldout-percent 1e3', ['corpus', 'export', '--out', 'x', '--heldout-percent', '1e3'], /--heldout-percent must be a number/],
  ['corpus --since 2020-02-30', ['corpus', 'export', '--out', 'x', '--since', '2020-02-30'], /--since must be a date/],
  ['search --journal of 100 KB', ['search', 'cancer', '--journal', HUGE], /--journal is 100000 characters long/],
  ['facets --limit 2.5', ['facets', 'Chemical', '--limit', '2.5'], /--limit must be a whole number/],
];

for (const [title, argv, message] of MISUSES) {
  test(`${title} is LITMINE_USAGE before anything is opened`, async (t) => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'litmine-flags-')), 'data');
    const r = await litmine(...argv, '--data-dir', dataDir);
    t.is(r.code, 2, r.err);
    t.regex(r.err, /LITMINE_USAGE: /);
    t.regex(r.err, message);
    t.notRegex(r.err, /LITMINE_INTERNAL/);
    t.false(existsSync(dataDir), 'no data directory is created');
  });
}

test('the rules convert good values and refuse the boundary values scripts send', (t) => {
  const options: CommandOptions = {
    limit: { type: 'string', value: limitRule() },
    ratio: { type: 'string', value: { kind: 'number', min: 0, max: 1 } },
    day: { type: 'string', value: DAY, multiple: true },
    q: { type: 'string', value: TEXT },
    path: { type: 'string' },
    json: { type: 'boolean' },
  };
  t.deepEqual(checkFlags({ limit: ' +7 ', ratio: '.5', day: ['2024-02-29'], q: ' cell ', path: ' a b ', json: true }, options), {
    limit: 7,
    ratio: 0.5,
    day: ['2024-02-29'],
    q: 'cell',
    path: ' a b ',
    json: true,
  });
  for (const limit of ['Infinity', '-0', '1e3', '', ' ', '0x10', '1001', '9007199254740993', '1.0'])
    t.throws(() => checkFlags({ limit }, options), { message: /--limit must be a whole number from 1 to 1000/ }, limit);
  for (const ratio of ['Infinity', 'NaN', '1e309', '', '1.5', '-0.1', '0x1'])
    t.throws(() => checkFlags({ ratio }, options), { message: /--ratio must be a number from 0 to 1/ }, ratio);
  t.throws(() => checkFlags({ day: ['2024-02-28', '2023-02-29'] }, options), {
    message: /--day must be a date as YYYY-MM-DD, got "2023-02-29"/,
  });
  t.throws(() => checkFlags({ q: '   ' }, options), { message: '--q needs a value' });
  t.throws(() => checkFlags({ q: 'q'.repeat(MAX_QUERY_CHARS + 1) }, options), {
    message: /--q is 2001 characters long; the limit is 2000/,
  });
  t.throws(() => checkFlags({ path: 'p'.repeat(MAX_FLAG_CHARS + 1) }, options), { message: /--path is 4097 characters long/ });
});
