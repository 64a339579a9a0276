/**
 * The search-store contract suite against the embedded SQLite FTS5 store (unit tier: in memory),
 * plus what only the embedded store has: persistence in a file across reopen.
 */
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { CORPUS_COUNTS, corpusOps } from './store-fixtures.js';
import { storeContract } from './store-contract.js';
import { normalizedStoreContract } from './store-contract-ids.js';

storeContract('embedded', async () => ({ store: new SqliteStore({ path: ':memory:' }) }));
normalizedStoreContract('embedded', async () => ({ store: new SqliteStore({ path: ':memory:' }) }));

test('embedded: a store file keeps its contents across reopen', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-store-'));
  try {
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
