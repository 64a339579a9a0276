/**
 * The HTTP API suite on the embedded store (SQLite in a temporary file), plus what needs a fake
 * store or special options: the API key (and that it never reaches the logs), CORS, the rate
 * limit, the query time limit, an unreachable store and an unexpected error.
 */
import test from 'ava';
import { Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LitmineError } from '../../src/errors.js';
import { buildApp } from '../../src/serve/build-app.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { SearchStore } from '../../src/store/store.js';
import { DOC_A, corpusOps } from '../store/store-fixtures.js';
import { apiSuite } from './api-suite.js';

apiSuite('embedded', async () => ({
  store: new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'litmine-serve-')), 'store.sqlite') }),
}));

async function smallStore(): Promise<SqliteStore> {
  const store = new SqliteStore({ path: ':memory:' });
  await store.init();
  await store.apply(corpusOps());
  return store;
}

/** A store whose chosen methods misbehave (error paths only). */
function failing(store: SearchStore, overrides: Partial<SearchStore>): SearchStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof SearchStore];
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

test('API key: /api and /metrics need it, probes and the page do not; it never reaches the logs', async (t) => {
  const apiKey = 'k3y-that-must-not-leak-0123456789';
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const store = await smallStore();
  const app = await buildApp({ store, apiKey, logger: { level: 'info', stream } });
  const no = await app.inject('/api/search?q=cisplatin');
  t.is(no.statusCode, 401);
  t.is(no.json().error.code, 'LITMINE_UNAUTHORIZED');
  const wrong = await app.inject({ url: '/api/search?q=cisplatin', headers: { 'x-api-key': 'wrong' } });
  t.is(wrong.statusCode, 401);
  t.regex(wrong.json().error.message, /wrong API key/);
  const ok = await app.inject({ url: '/api/search?q=cisplatin', headers: { 'x-api-key': apiKey } });
  t.is(ok.statusCode, 200);
  t.is(ok.json().total, 2);
  t.is((await app.inject({ url: '/metrics' })).statusCode, 401);
  t.is((await app.inject({ url: '/metrics', headers: { 'x-api-key': apiKey } })).statusCode, 200);
  t.is((await app.inject('/healthz')).statusCode, 200);
  t.is((await app.inject('/readyz')).statusCode, 200);
  t.is((await app.inject('/')).statusCode, 200);
  t.is((await app.inject('/app.js')).statusCode, 200);
  const openapi = await app.inject({ url: '/api/openapi.json', headers: { 'x-api-key': apiKey } });
  t.deepEqual(openapi.json().components.securitySchemes.apiKey, { type: 'apiKey', in: 'header', name: 'x-api-key' });
  await app.close();
  const logs = lines.join('');
  t.regex(logs, /"url":"\/api\/search\?q=cisplatin"/, 'requests are logged');
  t.false(logs.includes(apiKey), 'the key is not in the logs');
});

test('CORS: only the configured origins get an allow-origin header', async (t) => {
  const app = await buildApp({ store: await smallStore(), corsOrigins: ['https://lab.example.org'] });
  const allowed = await app.inject({ url: '/api/search?q=cisplatin', headers: { origin: 'https://lab.example.org' } });
  t.is(allowed.headers['access-control-allow-origin'], 'https://lab.example.org');
  const other = await app.inject({ url: '/api/search?q=cisplatin', headers: { origin: 'https://evil.example.com' } });
  t.is(other.headers['access-control-allow-origin'], undefined);
  const none = await buildApp({ store: await smallStore() });
  t.is(
    (await none.inject({ url: '/api/search?q=x', headers: { origin: 'https://lab.example.org' } })).headers['access-control-allow-origin'],
    undefined,
  );
  await app.close();
  await none.close();
});

test('rate limit: requests over the limit get 429 LITMINE_RATE_LIMITED; probes are not limited', async (t) => {
  const app = await buildApp({ store: await smallStore(), rateLimit: { max: 3, windowMs: 60_000 } });
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push((await app.inject('/api/search?q=cisplatin')).statusCode);
  t.deepEqual(codes, [200, 200, 200, 429]);
  const limited = await app.inject('/api/search?q=cisplatin');
  t.is(limited.json().error.code, 'LITMINE_RATE_LIMITED');
  t.truthy(limited.headers['retry-after']);
  t.is((await app.inject('/readyz')).statusCode, 200);
  await app.close();
});

test('a store query over the time limit is answered 504 LITMINE_QUERY_TIMEOUT', async (t) => {
  const store = failing(await smallStore(), { search: () => new Promise(() => {}) });
  const app = await buildApp({ store, limits: { queryTimeoutMs: 100 } });
  const r = await app.inject('/api/search?q=cisplatin');
  t.is(r.statusCode, 504);
  t.deepEqual(r.json(), { error: { code: 'LITMINE_QUERY_TIMEOUT', message: 'search took longer than the 100 ms time limit' } });
  await app.close();
});

test('an unreachable store: readyz and queries answer 503 with the store code', async (t) => {
  const down = () =>
    Promise.reject(new LitmineError('LITMINE_STORE_UNAVAILABLE', 'elasticsearch: count failed: ConnectionError: connect ECONNREFUSED'));
  const store = failing(await smallStore(), { counts: down, search: down });
  const app = await buildApp({ store });
  const ready = await app.inject('/readyz');
  t.is(ready.statusCode, 503);
  t.is(ready.json().error.code, 'LITMINE_STORE_UNAVAILABLE');
  t.is((await app.inject('/healthz')).statusCode, 200, 'the process itself is alive');
  const search = await app.inject('/api/search?q=x');
  t.is(search.statusCode, 503);
  t.is(search.json().error.code, 'LITMINE_STORE_UNAVAILABLE');
  await app.close();
});

test('an unexpected error is a 500 with a generic message: no stack, no internals', async (t) => {
  const store = failing(await smallStore(), {
    relations: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'secret') at /srv/litmine/src/x.ts:10")),
  });
  const app = await buildApp({ store });
  const r = await app.inject('/api/relations?e1=%40Chemical');
  t.is(r.statusCode, 500);
  t.deepEqual(r.json(), { error: { code: 'LITMINE_INTERNAL', message: 'internal error' } });
  await app.close();
});

test('a swap of index sets made by another process reaches the running server on its next request', async (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'litmine-serve-')), 'store.sqlite');
  const store = new SqliteStore({ path });
  await store.init();
  await store.apply(corpusOps());
  const app = await buildApp({ store });
  t.is((await app.inject('/api/search?q=cisplatin')).json().total, 2);
  const admin = new SqliteStore({ path });
  const next = await admin.createIndexSet('v2');
  await next.apply(corpusOps([DOC_A]));
  await next.close();
  t.is((await app.inject('/api/search?q=cisplatin')).json().total, 2, 'a filled set is not live before the swap');
  await admin.swapTo('v2');
  t.is((await app.inject('/api/search?q=cisplatin')).json().total, 1);
  t.is((await app.inject('/readyz')).json().counts.articles, 1);
  await admin.close();
  await app.close();
  await store.close();
});
