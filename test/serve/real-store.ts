/**
 * Store files the server's tests open: the README's PubMed XML through the real pipeline (in a
 * temporary file, so that the server reads it in its reader threads), and a large store whose
 * journal filter scans every article, for queries slower than a time limit (the README's data is
 * too small for any query to be slow).
 *
 *   const { store } = await realStore();   const slow = largeStore(600_000);
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { sharedPath } from '../helpers/shared-data.js';
import { corpusOps } from '../store/store-fixtures.js';
import { loadServeCorpus } from './serve-fixture.js';

export function storeFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'litmine-serve-')), 'store.sqlite');
}

/** ../shared/data/pubmed-xml indexed by the real pipeline (word-list annotations), plus the hostile record. */
export async function realStore(path = storeFile()): Promise<SqliteStore> {
  const store = new SqliteStore({ path });
  await store.init();
  await loadServeCorpus(store, [sharedPath('pubmed-xml')]);
  return store;
}

/** The contract corpus plus `filler` bare articles written straight into the table (a second per 500,000 here). */
export async function largeStore(filler: number, path = storeFile()): Promise<SqliteStore> {
  const store = new SqliteStore({ path });
  await store.init();
  await store.apply(corpusOps());
  const db = new Database(path);
  db.exec(`WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${filler})
    INSERT INTO articles (id, version, source, full_text, title, journal_keys, published_date, json)
    SELECT 'pmid:' || (50000000 + x), 1, 'pubmed', 0, 'filler ' || x, '["journal of fillers","j fill"]', '2020-01-01', '{}' FROM n`);
  db.close();
  return store;
}

/** A query of the large store that scans all its articles (no journal has this name). */
export const SCANNING_QUERY = { text: '', filters: { journal: 'no such journal' }, limit: 100 } as const;
export const SCANNING_URL = '/api/search?q=&journal=no+such+journal&limit=100';
