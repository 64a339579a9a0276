/**
 * Requests written as an attacker or a careless user would, through `app.inject()` (and a socket
 * where only Node's HTTP parser sees the request): numbers that are not finite, a query slower than
 * the time limit on the embedded store, wrong-key floods, the page behind a key, NUL in queries,
 * impossible dates, and errors from outside the routes, which must all keep the one error shape.
 */
import test from 'ava';
import type { FastifyInstance } from 'fastify';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/serve/build-app.js';
import { pageDir } from '../../src/serve/static-page.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { hasSharedData } from '../helpers/shared-data.js';
import { SCANNING_QUERY, SCANNING_URL, largeStore, realStore } from './real-store.js';

const KEY = 'hostile-requests-key-0123456789';
const withData = hasSharedData ? test : test.skip;

let shared: Promise<{ store: SqliteStore; app: FastifyInstance }> | undefined;
/** One server over the README's data for the tests that only read. */
async function served(): Promise<FastifyInstance> {
  shared ??= realStore().then(async (store) => ({ store, app: await buildApp({ store }) }));
  return (await shared).app;
}
test.after.always(async () => {
  const s = await shared;
  await s?.app.close();
  await s?.store.close();
});

const get = async (app: FastifyInstance, url: string) => {
  const r = await app.inject(url);
  return { status: r.statusCode, body: r.headers['content-type']?.includes('json') ? r.json() : r.body };
};

withData('numbers that are not finite integers are refused on every integer parameter, and bounds hold', async (t) => {
  const app = await served();
  const params: [string, string][] = [
    ['/api/search?q=cell&target=sentences', 'limit'],
    ['/api/search?q=cell', 'offset'],
    ['/api/facets?type=Chemical', 'limit'],
    ['/api/ask?q=cell', 'limit'],
    ['/api/relations?e1=%40Chemical', 'limit'],
    ['/api/relations?e1=%40Chemical', 'evidence'],
    ['/api/entities?prefix=c', 'limit'],
    ['/api/entities/Chemical%3Acisplatin', 'relations'],
    ['/api/entities/Chemical%3Acisplatin', 'evidence'],
    ['/api/entities/Chemical%3Acisplatin', 'coMentioned'],
    ['/api/export?format=biocjson&q=cell', 'limit'],
  ];
  for (const [route, name] of params) {
    const join = route.includes('?') ? '&' : '?';
    for (const value of ['Infinity', '-Infinity', '1e309', 'NaN', '1.5', '', '1e5', '-1']) {
      const r = await get(app, `${route}${join}${name}=${value}`);
      t.is(r.status, 400, `${route} ${name}=${value}`);
      t.is(r.body.error.code, 'LITMINE_HTTP_BAD_REQUEST');
      t.regex(r.body.error.message, new RegExp(`querystring/${name} `), `${name}=${value}: ${r.body.error.message}`);
    }
  }
  const most = await get(app, '/api/search?q=&target=sentences&limit=100');
  t.true(most.body.total > 100, `${most.body.total} sentences match`);
  t.is(most.body.hits.length, 100);
  t.is((await get(app, '/api/search?q=&target=sentences&limit=101')).status, 400);
  t.is((await get(app, '/api/search?q=cell&offset=10001')).status, 400);
  t.is((await get(app, '/api/search?q=cell&limit=-0')).status, 400);
});

test('the time limit holds on the embedded store: a slow query is answered 504 in time and /healthz is not held', async (t) => {
  const store = await largeStore(600_000);
  const t0 = performance.now();
  await store.search(SCANNING_QUERY);
  const direct = performance.now() - t0;
  // A limit well under what the query takes where nothing can stop it.
  const limit = Math.max(50, Math.round(direct / 4));
  const app = await buildApp({ store, limits: { queryTimeoutMs: limit } });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  t.is((await app.inject('/api/search?q=cisplatin')).statusCode, 200, 'the reader threads answer');
  const started = performance.now();
  const slow = Promise.all([1, 2, 3].map(() => app.inject(SCANNING_URL).then((r) => ({ r, ms: performance.now() - started }))));
  await new Promise((resolve) => setTimeout(resolve, 10));
  const h0 = performance.now();
  t.is((await app.inject('/healthz')).statusCode, 200);
  const healthz = performance.now() - h0;
  for (const { r, ms } of await slow) {
    t.is(r.statusCode, 504);
    t.is(r.json().error.code, 'LITMINE_QUERY_TIMEOUT');
    t.true(
      ms < limit + 1000,
      `answered after ${ms.toFixed(0)} ms; the limit is ${limit} ms, the query alone takes ${direct.toFixed(0)} ms`,
    );
  }
  t.true(healthz < 250, `/healthz waited ${healthz.toFixed(0)} ms`);
  // The abandoned readers were replaced: the store answers again once a new one has opened it.
  let again = await app.inject('/api/search?q=cisplatin');
  for (let i = 0; i < 100 && again.statusCode === 504; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    again = await app.inject('/api/search?q=cisplatin');
  }
  t.is(again.json().total, 2);
});

withData('wrong-key guesses use up the client budget: 429 after the limit, for the right key too', async (t) => {
  const store = await realStore();
  const app = await buildApp({ store, apiKey: KEY, rateLimit: { max: 100, windowMs: 60_000 } });
  const codes = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const r = await app.inject({ url: '/api/search?q=cell', headers: { 'x-api-key': `guess-${i}` }, remoteAddress: '10.9.8.7' });
    codes.set(r.statusCode, (codes.get(r.statusCode) ?? 0) + 1);
  }
  t.deepEqual(Object.fromEntries(codes), { 401: 100, 429: 200 });
  const right = await app.inject({ url: '/api/search?q=cell', headers: { 'x-api-key': KEY }, remoteAddress: '10.9.8.7' });
  t.is(right.statusCode, 429);
  t.is(right.json().error.code, 'LITMINE_RATE_LIMITED');
  const other = await app.inject({ url: '/api/search?q=cell', headers: { 'x-api-key': KEY }, remoteAddress: '10.9.8.6' });
  t.is(other.statusCode, 200, 'another client has its own budget');
  await app.close();
  await store.close();
});

withData('with an API key the whole page is public; the API, the OpenAPI document and the metrics are not', async (t) => {
  const store = await realStore();
  const app = await buildApp({ store, apiKey: KEY });
  const files = readdirSync(pageDir());
  t.true(files.length >= 10, files.join(', '));
  for (const file of [...files, '']) {
    const r = await app.inject(`/${file}`);
    t.is(r.statusCode, 200, `/${file}`);
  }
  for (const url of ['/api/search?q=cell', '/api/openapi.json', '/metrics', '/api/', '/api']) {
    const r = await app.inject(url);
    t.true(r.statusCode === 401, `${url}: ${r.statusCode}`);
    t.is(r.json().error.code, 'LITMINE_UNAUTHORIZED');
  }
  await app.close();
  await store.close();
});

withData('a NUL in any text parameter is a 400 naming the parameter', async (t) => {
  const app = await served();
  for (const url of [
    '/api/search?q=can%00cer',
    '/api/search?q=cancer&journal=a%00b',
    '/api/search?q=cancer&section=Meth%00ods',
    '/api/facets?type=Chemical&q=can%00cer',
    '/api/facets?type=Chemical&entity=%00',
    '/api/export?format=pubtator&q=can%00cer',
    '/api/ask?q=what%00causes',
    '/api/relations?e1=cis%00platin',
    '/api/entities?prefix=cis%00',
  ]) {
    const r = await get(app, url);
    t.is(r.status, 400, url);
    t.is(r.body.error.code, 'LITMINE_HTTP_BAD_REQUEST');
    t.regex(r.body.error.message, /must not contain a NUL character/, url);
  }
});

withData('dates must be real calendar dates, as the CLI requires', async (t) => {
  const app = await served();
  for (const bad of ['2026-13-45', '2020-02-30', '2023-02-29', '2020-00', '2020-04-31']) {
    const r = await get(app, `/api/search?q=cancer&from=${bad}`);
    t.is(r.status, 400, bad);
    t.regex(r.body.error.message, /querystring\/from must be a date/);
    t.is((await get(app, `/api/search?q=cancer&to=${bad}`)).status, 400);
  }
  for (const good of ['2020-02-29', '2019', '2019-12', '2019-12-31'])
    t.is((await get(app, `/api/search?q=cancer&from=${good}`)).status, 200, good);
});

test('errors from outside the routes keep the error shape: bad URLs, long path segments, invalid preflights, Node parser errors', async (t) => {
  const store = await largeStore(0);
  const app = await buildApp({ store, corsOrigins: ['https://lab.example.org'] });
  const shaped = (r: { statusCode: number; json(): unknown }, status: number, what: string) => {
    t.is(r.statusCode, status, what);
    const body = r.json() as { error?: { code?: unknown; message?: unknown } };
    t.is(typeof body.error?.code, 'string', what);
    t.is(typeof body.error?.message, 'string', what);
    t.false(JSON.stringify(body).includes('FST_'), `${what}: no framework internals`);
  };
  shaped(await app.inject('/%'), 400, 'bad URL');
  shaped(await app.inject('/api/articles/%E0%A4%A'), 400, 'bad percent-encoding in a parameter');
  shaped(await app.inject(`/api/entities/${'a'.repeat(500)}`), 414, 'long path segment');
  shaped(
    await app.inject({ method: 'OPTIONS', url: '/api/search', headers: { origin: 'https://lab.example.org' } }),
    400,
    'invalid preflight',
  );
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = new URL(address);
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
      let answer = '';
      socket.on('data', (d) => (answer += d));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  for (const [what, request, status] of [
    ['garbage', 'HELLO THERE\r\n\r\n', 400],
    ['headers over the limit', `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`, 431],
  ] as const) {
    const answer = await raw(request);
    t.regex(answer, new RegExp(`^HTTP/1.1 ${status} `), what);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    t.is(body.error.code, 'LITMINE_HTTP_BAD_REQUEST', what);
  }
  await app.close();
  await store.close();
});

test('CORS preflights are rate-limited like any request', async (t) => {
  const store = await largeStore(0);
  const app = await buildApp({ store, corsOrigins: ['https://lab.example.org'], rateLimit: { max: 3, windowMs: 60_000 } });
  const codes = [];
  for (let i = 0; i < 5; i++) {
    const r = await app.inject({
      method: 'OPTIONS',
      url: '/api/search',
      headers: { origin: 'https://lab.example.org', 'access-control-request-method': 'GET' },
    });
    codes.push(r.statusCode);
  }
  t.deepEqual(codes, [204, 204, 204, 429, 429]);
  await app.close();
  await store.close();
});

test('on loopback without a key only loopback Host names are answered (DNS rebinding)', async (t) => {
  const store = await largeStore(0);
  const app = await buildApp({ store, loopbackHostsOnly: true });
  for (const host of ['localhost', 'localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'app.localhost:8080']) {
    t.is((await app.inject({ url: '/api/search?q=cisplatin', headers: { host } })).statusCode, 200, host);
  }
  for (const host of ['evil.example:8080', 'evil.example', '127.0.0.1.evil.example', 'localhost.evil.example']) {
    for (const url of ['/api/search?q=cisplatin', '/']) {
      const r = await app.inject({ url, headers: { host } });
      t.is(r.statusCode, 421, `${host} ${url}`);
      t.is(r.json().error.code, 'LITMINE_HTTP_BAD_REQUEST');
    }
  }
  await app.close();
  await store.close();
});

test('a key or token sent in the query string is not written to the log', async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const store = await largeStore(0);
  const app = await buildApp({ store, apiKey: KEY, logger: { level: 'info', stream } });
  await app.inject(`/api/search?q=cisplatin&api_key=${KEY}`);
  await app.inject(`/api/search?x-api-key=${encodeURIComponent(KEY)}&q=cisplatin`);
  await app.inject(`/api/search?q=${KEY}`);
  await app.inject('/api/search?q=cisplatin&token=abc123secret');
  await app.close();
  await store.close();
  const logs = lines.join('');
  t.false(logs.includes(KEY), 'the server key is never logged');
  t.false(logs.includes('abc123secret'), 'nor a token parameter');
  t.regex(logs, /"url":"\/api\/search\?q=cisplatin&api_key=\[REDACTED\]"/);
  t.regex(logs, /"url":"\/api\/search\?q=cisplatin&token=\[REDACTED\]"/);
});
