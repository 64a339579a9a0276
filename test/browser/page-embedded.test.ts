/** The page's browser tests on the embedded store (SQLite in a temporary file). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { pageSuite } from './page-suite.js';

pageSuite('embedded', async () => ({
  store: new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'litmine-page-')), 'store.sqlite') }),
}));
