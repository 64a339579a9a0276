/**
 * The durable CursorStore: one JSON file in the data directory (`cursors.json`), rewritten whole on
 * every `set` through write-fsync-rename, so a crash leaves either the old or the new cursor, never
 * a torn file. Cursors change once per batch (seconds apart), so a whole-file rewrite is cheap.
 *
 *   const store = new JsonCursorStore(config.dataDir); await store.set('pubmed', batch.cursor);
 */
import { mkdirSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { diskFullError, isDiskFull } from '../src/disk-full.js';
import { LitmineError } from '../src/errors.js';
import type { CursorStore } from './connector.js';

export class JsonCursorStore implements CursorStore {
  readonly path: string;
  private cache: Record<string, string> | null = null;
  // Serialises writers in this process; the file rename makes each write atomic for readers.
  private queue: Promise<void> = Promise.resolve();

  constructor(dataDir: string, fileName = 'cursors.json') {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, fileName);
  }

  async get(source: string): Promise<string | null> {
    const all = await this.load();
    return all[source] ?? null;
  }

  set(source: string, cursor: string): Promise<void> {
    const write = this.queue.then(async () => {
      const all = { ...(await this.load()), [source]: cursor };
      const tmp = `${this.path}.${process.pid}.tmp`;
      try {
        const handle = await open(tmp, 'w');
        try {
          await handle.writeFile(`${JSON.stringify(all, null, 2)}\n`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmp, this.path);
      } catch (err) {
        if (isDiskFull(err)) throw diskFullError(this.path, 'saving the cursor failed', err);
        throw err;
      }
      this.cache = all;
    });
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async load(): Promise<Record<string, string>> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return (this.cache = {});
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      this.cache = parsed as Record<string, string>;
      return this.cache;
    } catch (err) {
      throw new LitmineError('LITMINE_CONFIG', `${this.path}: cursor file is not a JSON object; fix or delete it`, {
        cause: err,
      });
    }
  }
}
