/**
 * Items of the hostile-input probe that need the real server on a socket: a slow query on the
 * embedded store answered 504 within the time limit while /healthz stays answered, numbers that
 * are not finite refused, and a flood of wrong API keys rate-limited like any request. The server
 * runs in its own process (serve-child.ts).
 *
 *   npm run test:faults -- --match '*hostile*'
 */
import test from 'ava';
import { performance } from 'node:perf_hooks';
import { hasSharedData } from '../helpers/shared-data.js';
import { SCANNING_QUERY, SCANNING_URL, largeStore, realStore, storeFile } from '../serve/real-store.js';
import { serveProcess } from './serve-process.js';

const withData = hasSharedData ? test.serial : test.serial.skip;

test.serial('hostile: three slow queries at once are answered 504 within the time limit and /healthz is not held', async (t) => {
  const path = storeFile();
  const store = await largeStore(1_000_000, path);
  const t0 = performance.now();
  await store.search(SCANNING_QUERY);
  const direct = performance.now() - t0;
  await store.close();
  const limit = Math.max(100, Math.round(direct / 4));
  const server = await serveProcess(path, { limits: { queryTimeoutMs: limit } });
  t.teardown(() => server.stop());
  const started = performance.now();
  const slow = Promise.all(
    [1, 2, 3].map(async () => {
      const r = await fetch(`${server.base}${SCANNING_URL}`);
      return { status: r.status, code: ((await r.json()) as { error?: { code: string } }).error?.code, ms: performance.now() - started };
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  const h0 = performance.now();
  t.is((await fetch(`${server.base}/healthz`)).status, 200);
  const healthz = performance.now() - h0;
  for (const r of await slow) {
    t.is(r.status, 504);
    t.is(r.code, 'LITMINE_QUERY_TIMEOUT');
    t.true(r.ms < limit + 1000, `${r.ms.toFixed(0)} ms; limit ${limit} ms; the query alone takes ${direct.toFixed(0)} ms`);
  }
  t.true(healthz < 250, `/healthz waited ${healthz.toFixed(0)} ms`);
});

withData('hostile: Infinity and 1e309 are refused over the socket; 300 wrong keys are rate-limited', async (t) => {
  const path = storeFile();
  await (await realStore(path)).close();
  const key = 'fault-tier-serve-key-0123456789';
  const server = await serveProcess(path, { apiKey: key, rateLimit: { max: 100, windowMs: 60_000 } });
  t.teardown(() => server.stop());
  for (const url of [
    '/api/search?q=cell&limit=Infinity&target=sentences',
    '/api/export?format=biocjson&q=cell&limit=Infinity',
    '/api/search?q=cell&offset=Infinity',
    '/api/search?q=cell&limit=1e309&annotate=true',
  ]) {
    const r = await fetch(`${server.base}${url}`, { headers: { 'x-api-key': key } });
    t.is(r.status, 400, url);
    t.regex(((await r.json()) as { error: { message: string } }).error.message, /must be a finite number/);
  }
  const codes = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      fetch(`${server.base}/api/search?q=cell`, { headers: { 'x-api-key': `wrong-${i}` } }).then((r) => r.status),
    ),
  );
  const count = (s: number) => codes.filter((c) => c === s).length;
  t.is(count(401) + count(429), 300);
  t.is(count(401), 100 - 4, 'the budget of 100, less the four requests above');
  t.is((await fetch(`${server.base}/api/search?q=cell`, { headers: { 'x-api-key': key } })).status, 429, 'the right key waits too');
});
