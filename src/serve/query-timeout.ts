/**
 * The time limit of one request's store work: it starts when the request arrives, and every store
 * query the request makes runs within what is left of it. When it runs out the request is answered
 * 504 (LITMINE_QUERY_TIMEOUT) and its queries are abandoned: a store with abandonable reads (the
 * embedded store's reader threads) drops or stops them; for Elasticsearch the answer is ignored.
 *
 *   installQueryDeadlines(app, 5000);   await withinDeadline(request, 'search', (store) => store.search(q), ctx.store);
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setMaxListeners } from 'node:events';
import { LitmineError } from '../errors.js';
import { isAbandonable } from '../store/sqlite-read-threads.js';
import type { SearchStore } from '../store/store.js';

const deadlines = new WeakMap<FastifyRequest, AbortSignal>();

/** Starts each request's clock on arrival. */
export function installQueryDeadlines(app: FastifyInstance, ms: number): void {
  app.addHook('onRequest', async (request) => {
    deadlines.set(request, deadline(ms));
  });
}

function deadline(ms: number): AbortSignal {
  const controller = new AbortController();
  // Each store read of the request listens (a page of 100 annotated hits is 101 reads).
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new LitmineError('LITMINE_QUERY_TIMEOUT', `the request took longer than ${ms} ms`)), ms);
  timer.unref();
  return controller.signal;
}

/** Runs `work` on the store within the request's time limit; `what` names it in the timeout's message. */
export async function withinDeadline<T>(
  request: FastifyRequest,
  what: string,
  store: SearchStore,
  ms: number,
  work: (store: SearchStore) => Promise<T>,
): Promise<T> {
  let signal = deadlines.get(request);
  if (!signal) {
    signal = deadline(ms);
    deadlines.set(request, signal);
  }
  const timedOut = () => new LitmineError('LITMINE_QUERY_TIMEOUT', `${what} took longer than the ${ms} ms time limit`);
  if (signal.aborted) throw timedOut();
  const running = work(isAbandonable(store) ? store.withSignal(signal) : store);
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    onAbort = () => reject(timedOut());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([running, timeout]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
    // An abandoned query's late failure is of no interest to anyone.
    running.catch(() => {});
  }
}
