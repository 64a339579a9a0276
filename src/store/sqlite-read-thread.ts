/**
 * One reader of the embedded store in a worker thread (see sqlite-read-threads.ts): it opens its
 * own connection to the store file and answers one read at a time. better-sqlite3 runs a query to
 * its end on the calling thread; here that thread can be abandoned (terminated) without stalling
 * the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

export const READ_METHODS = [
  'getArticle',
  'search',
  'relations',
  'facets',
  'ask',
  'articleAnnotations',
  'entity',
  'suggestEntities',
  'coMentioned',
  'counts',
] as const;
export type ReadMethod = (typeof READ_METHODS)[number];

export interface ReadCall {
  id: number;
  method: ReadMethod;
  args: unknown[];
}
export type ReadAnswer = { id: number; value: unknown } | { id: number; error: { code?: string; message: string } };

if (parentPort && workerData?.litmineReadThread) {
  const port = parentPort;
  const store = new SqliteStore(workerData.options as SqliteStoreOptions);
  port.on('message', async (call: ReadCall) => {
    try {
      const read = store[call.method] as (...args: unknown[]) => Promise<unknown>;
      port.postMessage({ id: call.id, value: await read.apply(store, call.args) } satisfies ReadAnswer);
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      const code = typeof e.code === 'string' && e.code.startsWith('LITMINE_') ? e.code : undefined;
      port.postMessage({ id: call.id, error: { code, message: String(e.message ?? err) } } satisfies ReadAnswer);
    }
  });
  port.postMessage({ ready: true });
}
