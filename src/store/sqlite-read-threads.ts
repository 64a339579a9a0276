/**
 * The embedded store's reads in worker threads, so that a query can be abandoned. better-sqlite3
 * runs each query synchronously to its end: on the server's own thread one slow query holds every
 * other request, /healthz included, and no time limit can fire. Here each read runs in one of a few
 * reader threads (sqlite-read-thread.ts), each with its own connection to the store file (WAL: they
 * read while the index stage writes, and follow index-set swaps). A read whose signal aborts is
 * dropped from the queue, or, when already running, its thread is terminated and replaced.
 * Writes and index-set operations go to the store itself.
 *
 *   const store = withReadThreads(sqlite, 2);  await store.withSignal(AbortSignal.timeout(5000)).search({ text: 'x' });
 */
import { Worker } from 'node:worker_threads';
import { type ErrorCode, LitmineError } from '../errors.js';
import { READ_METHODS, type ReadAnswer, type ReadMethod } from './sqlite-read-thread.js';
import type { SqliteStore, SqliteStoreOptions } from './sqlite-store.js';
import type { SearchStore } from './store.js';

/** A store whose reads can be tied to a signal: when it aborts, the read is abandoned. */
export interface AbandonableReads {
  withSignal(signal: AbortSignal): SearchStore;
  /** Stops the reader threads and leaves the store open (close() closes both). */
  closeReaders(): Promise<void>;
  /** Resolves once a reader thread has opened the store, or has failed to. */
  readersStarted(): Promise<void>;
}

export function isAbandonable(store: SearchStore): store is SearchStore & AbandonableReads {
  return typeof (store as Partial<AbandonableReads>).withSignal === 'function';
}

export async function closeReaders(store: SearchStore): Promise<void> {
  if (isAbandonable(store)) await store.closeReaders();
}

export async function readersStarted(store: SearchStore): Promise<void> {
  if (isAbandonable(store)) await store.readersStarted();
}

/** The store with its reads in `threads` reader threads; null for a store in memory (no other thread can see it). */
export function withReadThreads(store: SqliteStore, threads: number): (SearchStore & AbandonableReads) | null {
  const options = store.reopenOptions();
  if (!options) return null;
  const pool = new ReadPool(options, threads);
  const view = (signal?: AbortSignal): SearchStore => {
    const reads = new Map<PropertyKey, unknown>(READ_METHODS.map((m) => [m, (...args: unknown[]) => pool.call(m, args, signal)] as const));
    reads.set('withSignal', (s: AbortSignal) => view(s));
    reads.set('closeReaders', () => pool.close());
    reads.set('readersStarted', () => pool.started);
    reads.set('close', async () => {
      await pool.close();
      await store.close();
    });
    return new Proxy(store, {
      get(target, prop) {
        if (reads.has(prop)) return reads.get(prop);
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  };
  return view() as SearchStore & AbandonableReads;
}

interface Pending {
  id: number;
  method: ReadMethod;
  args: unknown[];
  resolve(value: unknown): void;
  reject(err: Error): void;
  /** Stops listening to the signal. */
  done(): void;
}

interface Reader {
  worker: Worker;
  current: Pending | null;
  /** Has opened the store and answers reads. */
  ready: boolean;
}

class ReadPool {
  readonly #options: SqliteStoreOptions;
  readonly #readers = new Set<Reader>();
  readonly #idle: Reader[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 0;
  #markStarted!: () => void;
  /** Settles when the first reader has opened the store or failed to. */
  readonly started = new Promise<void>((resolve) => {
    this.#markStarted = resolve;
  });
  #closed = false;
  /** Why the last reader thread could not open the store; calls fail with it at once until one opens. */
  #startFailure: Error | null = null;

  constructor(options: SqliteStoreOptions, size: number) {
    this.#options = options;
    for (let i = 0; i < Math.max(1, size); i++) this.#spawn();
  }

  call(method: ReadMethod, args: unknown[], signal?: AbortSignal): Promise<unknown> {
    if (this.#startFailure) return Promise.reject(this.#startFailure);
    if (this.#closed) return Promise.reject(new LitmineError('LITMINE_STORE_UNAVAILABLE', 'the embedded store is closed'));
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => this.#abandon(p, abortError(signal!));
      const p: Pending = { id: this.#nextId++, method, args, resolve, reject, done: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(p);
      this.#pump();
      this.#keepAlive();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) this.#settle(p, new LitmineError('LITMINE_STORE_UNAVAILABLE', 'the embedded store is closed'));
    await Promise.all([...this.#readers].map((r) => r.worker.terminate()));
  }

  #spawn(): void {
    const reader: Reader = { worker: startThread(this.#options), current: null, ready: false };
    this.#readers.add(reader);
    reader.worker.on('message', (m: ReadAnswer | { ready: true }) => {
      if ('ready' in m) {
        reader.ready = true;
        this.#startFailure = null;
        this.#keepAlive();
        this.#markStarted();
        this.#idle.push(reader);
        return this.#pump();
      }
      const p = reader.current;
      if (!p || p.id !== m.id) return;
      reader.current = null;
      if ('error' in m) this.#settle(p, rebuild(m.error));
      else this.#settle(p, null, m.value);
      this.#idle.push(reader);
      this.#pump();
    });
    reader.worker.on('error', (err: Error) => {
      if (reader.current)
        this.#settle(reader.current, new LitmineError('LITMINE_INTERNAL', `embedded store reader failed: ${err.message}`));
      reader.current = null;
      if (reader.ready) return this.#retire(reader);
      // It could not open the store: fail what waits, and try again in a second rather than in a loop.
      this.#startFailure = new LitmineError('LITMINE_STORE_UNAVAILABLE', `embedded store reader: ${err.message}`, { cause: err });
      for (const p of this.#queue.splice(0)) this.#settle(p, this.#startFailure);
      this.#markStarted();
      this.#readers.delete(reader);
      setTimeout(() => {
        if (!this.#closed) this.#spawn();
      }, 1000).unref();
    });
    reader.worker.on('exit', () => this.#retire(reader));
    // After the listeners, which ref it.
    this.#keepAlive();
  }

  /** The readers keep the process alive only while one is starting, or a read waits or runs. */
  #keepAlive(): void {
    const busy = this.#queue.length > 0 || [...this.#readers].some((r) => r.current || !r.ready);
    for (const r of this.#readers) {
      if (busy) r.worker.ref();
      else r.worker.unref();
    }
  }

  /** Takes a reader out of service (terminating it when it still runs) and starts another in its place. */
  #retire(reader: Reader): void {
    if (!this.#readers.delete(reader)) return;
    const i = this.#idle.indexOf(reader);
    if (i >= 0) this.#idle.splice(i, 1);
    void reader.worker.terminate();
    if (!this.#closed) this.#spawn();
  }

  #abandon(p: Pending, err: Error): void {
    const queued = this.#queue.indexOf(p);
    if (queued >= 0) this.#queue.splice(queued, 1);
    else {
      const reader = [...this.#readers].find((r) => r.current === p);
      if (reader) {
        reader.current = null;
        this.#retire(reader);
      }
    }
    this.#settle(p, err);
  }

  #pump(): void {
    while (this.#idle.length && this.#queue.length) {
      const reader = this.#idle.pop()!;
      const p = this.#queue.shift()!;
      reader.current = p;
      reader.worker.postMessage({ id: p.id, method: p.method, args: p.args });
    }
  }

  #settle(p: Pending, err: Error | null, value?: unknown): void {
    p.done();
    this.#keepAlive();
    if (err) p.reject(err);
    else p.resolve(value);
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new LitmineError('LITMINE_QUERY_TIMEOUT', 'the query was abandoned');
}

function rebuild(e: { code?: string; message: string }): Error {
  return e.code ? new LitmineError(e.code as ErrorCode, e.message) : new Error(e.message);
}

/** The reader's entry beside this file: the compiled .js, or the .ts source through tsx's loader. */
function startThread(options: SqliteStoreOptions): Worker {
  const here = import.meta.url;
  const workerData = { litmineReadThread: true, options };
  if (!here.endsWith('.ts')) return new Worker(new URL('./sqlite-read-thread.js', here), { workerData });
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(new URL('./sqlite-read-thread.ts', here).href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
