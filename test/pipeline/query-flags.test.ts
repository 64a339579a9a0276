/**
 * The query commands (search, relations, facets, ask) check their flags before opening a store: a
 * bad number, an impossible date or an over-long query is LITMINE_USAGE (exit 2) naming the flag
 * and the value, and nothing is created in the data directory. A word starting with "-" is text
 * after "--".
 */
import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_QUERY_CHARS } from '../../src/cli/flag-values.js';
import { litmine } from './cli-io.js';

function freshDir(t: { teardown(fn: () => void): void }): string {
  const root = mkdtempSync(join(tmpdir(), 'litmine-flags-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return join(root, 'data'); // not created: a usage error must not create it either
}

const bad: [string, string[], RegExp][] = [
  ['search --limit abc', ['search', 'cancer', '--limit', 'abc'], /--limit must be a whole number from 1 to 1000, got "abc"/],
  ['search --limit 0', ['search', 'cancer', '--limit', '0'], /--limit must be a whole number/],
  ['search --limit 1e3', ['search', 'cancer', '--limit', '1e3'], /--limit must be a whole number/],
  [
    'search --from-date 2020-13-45',
    ['search', 'cancer', '--from-date', '2020-13-45'],
    /--from-date must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got "2020-13-45"/,
  ],
  ['search --to-date 2023-02-29', ['search', 'cancer', '--to-date', '2023-02-29'], /--to-date must be a date/],
  [
    'search --from-date after --to-date',
    ['search', 'cancer', '--from-date', '2021', '--to-date', '2020-05'],
    /--from-date 2021 is after --to-date 2020-05/,
  ],
  [
    'search -cancer',
    ['search', '-cancer'],
    /unknown option "-cancer"; to search for it as text, put it after "--": litmine search -- -cancer/,
  ],
  [
    'search with a 100 KB query',
    ['search', 'a'.repeat(100_000)],
    new RegExp(`the query is 100000 characters long; the limit is ${MAX_QUERY_CHARS}`),
  ],
  ['relations --evidence x', ['relations', 'cisplatin', '--evidence', 'x'], /--evidence must be a whole number from 0 to 100/],
  ['relations --limit -5', ['relations', 'cisplatin', '--limit=-5'], /--limit must be a whole number/],
  ['facets --limit 2.5', ['facets', 'Chemical', '--limit', '2.5'], /--limit must be a whole number/],
  ['facets with two types', ['facets', 'Chemical', 'Disease'], /one entity type, got 2 words/],
  ['ask --limit abc', ['ask', 'Where is Pannexin1?', '--no-ner', '--limit', 'abc'], /--limit must be a whole number/],
  ['ask with a 100 KB question', ['ask', 'b'.repeat(100_000), '--no-ner'], /the question is 100000 characters long/],
];

for (const [title, argv, message] of bad) {
  test.serial(`${title} → LITMINE_USAGE before any store is opened`, async (t) => {
    const dir = freshDir(t);
    const r = await litmine(...argv, '--data-dir', dir);
    t.is(r.code, 2, r.err);
    t.regex(r.err, /LITMINE_USAGE: /);
    t.regex(r.err, message);
    t.false(existsSync(dir), 'nothing was opened or created');
  });
}

test.serial('after "--" a word starting with "-" is query text', async (t) => {
  const dir = freshDir(t);
  mkdirSync(dir); // an empty data directory: a read-only command needs one to exist
  const r = await litmine('search', '--data-dir', dir, '--json', '--', '-cancer', '--limit');
  t.is(r.code, 0, r.err);
  t.regex(r.err, /search: 0 matches for "-cancer --limit"/);
  t.deepEqual(JSON.parse(r.out).hits, []);
});

test.serial('valid flags pass: dates of every accepted shape, limits at the bounds', async (t) => {
  const dir = freshDir(t);
  mkdirSync(dir);
  for (const [from, to, limit] of [
    ['2020', '2020', '1'],
    ['2020-02', '2020-03', '1000'],
    ['2024-02-29', '2024-12-31', '10'],
  ] as const) {
    const r = await litmine('search', 'cancer', '--data-dir', dir, '--from-date', from, '--to-date', to, '--limit', limit);
    t.is(r.code, 0, r.err);
  }
});
