/**
 * The search-store contract suite against the embedded SQLite FTS5 store (unit tier: a file in a
 * temporary folder, as index sets need), plus what only the embedded store has: persistence in a
 * file across reopen, index-set files and pointer, and a store in memory that has no index sets.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LitmineError } from '../../src/errors.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { CORPUS_COUNTS, DOC_A, DOC_B, corpusOps } from './store-fixtures.js';
import { storeContract } from './store-contract.js';
import { normalizedStoreContract } from './store-contract-ids.js';

/** Runs `fn` in a fresh temporary folder, removed afterwards whatever happens. */
async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-store-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

storeContract('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-store-'));
  const path = join(dir, 'store.sqlite');
  return {
    store: new SqliteStore({ path }),
    reopen: () => new SqliteStore({ path }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
normalizedStoreContract('embedded', async () => ({ store: new SqliteStore({ path: ':memory:' }) }));

test('embedded: a store file keeps its contents across reopen', async (t) =>
  inTempDir(async (dir) => {
    const path = join(dir, 'store.db');
    const first = new SqliteStore({ path });
    await first.init();
    await first.apply(corpusOps());
    await first.close();
    const second = new SqliteStore({ path });
    await second.init();
    t.deepEqual(await second.counts(), CORPUS_COUNTS);
    t.is((await second.search({ text: 'cisplatin' })).total, 2);
    await second.close();
  }));

test('embedded: index sets are files beside the store file, and a pointer file names the live one', async (t) =>
  inTempDir(async (dir) => {
    const path = join(dir, 'store.sqlite');
    const store = new SqliteStore({ path });
    await store.init();
    await store.apply(corpusOps());
    const next = await store.createIndexSet('V2');
    await next.apply(corpusOps([DOC_A]));
    await next.close();
    t.true(existsSync(join(dir, 'store-v2.sqlite')));
    t.false(existsSync(join(dir, 'store.sqlite.live')));
    t.is(await store.swapTo('v2'), '1');
    t.is(readFileSync(join(dir, 'store.sqlite.live'), 'utf8'), 'v2\n');
    await store.close();

    // A store opened after the swap starts on the live set.
    const later = new SqliteStore({ path });
    t.is((await later.counts()).articles, 1);
    t.is(await later.swapTo('1'), 'v2');
    t.deepEqual(await later.counts(), CORPUS_COUNTS);
    await later.dropIndexSet('v2');
    t.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('store-')),
      [],
    );
    await later.close();

    // A pointer naming a set whose file is gone is an error, not a new empty store.
    writeFileSync(join(dir, 'store.sqlite.live'), 'gone\n');
    const err = t.throws(() => new SqliteStore({ path }));
    t.is((err as LitmineError).code, 'LITMINE_STORE_UNAVAILABLE');
    t.regex(err!.message, /store-gone\.sqlite: the live index set is this file, and it is missing/);
  }));

test('embedded: a reader keeps answering whole sets while another store swaps under it', async (t) =>
  inTempDir(async (dir) => {
    const path = join(dir, 'store.sqlite');
    const writer = new SqliteStore({ path });
    await writer.init();
    await writer.apply(corpusOps());
    const next = await writer.createIndexSet('next');
    await next.apply(corpusOps([DOC_A, DOC_B]));
    await next.close();
    const reader = new SqliteStore({ path });
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      if (i === 100) await writer.swapTo('next');
      seen.add((await reader.counts()).articles);
    }
    t.deepEqual([...seen], [CORPUS_COUNTS.articles, 2]);
    t.is(await reader.currentIndexSet(), 'next');
    await reader.close();
    await writer.close();
  }));

test('embedded: a store in memory has its one set and refuses to make others', async (t) => {
  const store = new SqliteStore({ path: ':memory:' });
  await store.init();
  t.deepEqual(await store.listIndexSets(), ['1']);
  t.is(await store.currentIndexSet(), '1');
  const err = await t.throwsAsync(store.createIndexSet('v2'));
  t.is((err as LitmineError).code, 'LITMINE_INDEX_SET');
  t.regex(err!.message, /create index set v2: index sets need a store file/);
  await store.close();
});
