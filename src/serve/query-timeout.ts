/**
 * The time limit on store queries: a query still running after `ms` is answered 504
 * (LITMINE_QUERY_TIMEOUT). Elasticsearch requests are asynchronous and the answer is abandoned; an
 * embedded SQLite query runs synchronously to its end, so there the bounds on query length and
 * page size are what keep a query short.
 *
 *   const hits = await withTimeout(store.search(q), 5000, 'search');
 */
import { LitmineError } from '../errors.js';

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LitmineError('LITMINE_QUERY_TIMEOUT', `${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
