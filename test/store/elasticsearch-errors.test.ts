/**
 * How Elasticsearch failures are coded: a refused connection (a real closed loopback port) and a
 * timeout are LITMINE_STORE_UNAVAILABLE and retriable; a request the server blames on itself, such
 * as an unparseable date answered with a 500, is LITMINE_STORE_REJECTED. Query stores never write.
 */
import { errors } from '@elastic/elasticsearch';
import test from 'ava';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LitmineError, isRetriable } from '../../src/errors.js';
import { storeErrorCode } from '../../src/store/elasticsearch-errors.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch-store.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function responseError(statusCode: number, error: Record<string, unknown>) {
  return new errors.ResponseError({ statusCode, body: { error }, headers: {}, warnings: null, meta: {} as never });
}

test('a refused connection is LITMINE_STORE_UNAVAILABLE and retriable, for writers and for query stores', async (t) => {
  const port = await closedPort();
  for (const readOnly of [false, true]) {
    const store = new ElasticsearchStore({ node: `http://127.0.0.1:${port}`, serverMajor: 7, readOnly, requestTimeoutMs: 2000 });
    const err = await t.throwsAsync(() => store.init());
    await store.close();
    t.true(err instanceof LitmineError);
    t.is((err as LitmineError).code, 'LITMINE_STORE_UNAVAILABLE', err?.message);
    t.true(isRetriable(err));
    t.regex(err!.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    t.regex(err!.message, /ECONNREFUSED/);
  }
});

test('no answer, overload and server faults are unavailable; request faults are rejected', (t) => {
  t.is(storeErrorCode(new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:1')), 'LITMINE_STORE_UNAVAILABLE');
  t.is(storeErrorCode(new errors.TimeoutError('Request timed out')), 'LITMINE_STORE_UNAVAILABLE');
  t.is(storeErrorCode(new errors.NoLivingConnectionsError('no living connections', {} as never)), 'LITMINE_STORE_UNAVAILABLE');
  t.is(storeErrorCode(responseError(429, { type: 'es_rejected_execution_exception' })), 'LITMINE_STORE_UNAVAILABLE');
  t.is(storeErrorCode(responseError(503, { type: 'cluster_block_exception' })), 'LITMINE_STORE_UNAVAILABLE');
  t.is(storeErrorCode(responseError(500, { type: 'node_closed_exception' })), 'LITMINE_STORE_UNAVAILABLE');
  // Elasticsearch 7 answers a range query over "2020-13-45" with a 500 whose root cause is a parse error.
  const badDate = responseError(500, {
    type: 'search_phase_execution_exception',
    root_cause: [{ type: 'parse_exception' }],
    caused_by: { type: 'illegal_argument_exception' },
  });
  t.is(storeErrorCode(badDate), 'LITMINE_STORE_REJECTED');
  t.is(storeErrorCode(responseError(400, { type: 'mapper_parsing_exception' })), 'LITMINE_STORE_REJECTED');
  t.is(storeErrorCode(responseError(404, { type: 'index_not_found_exception' })), 'LITMINE_STORE_REJECTED');
});

test('a read-only store sends only reads: no template, index or alias is written at open', async (t) => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url?.split('?')[0]}`);
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-elastic-product', 'Elasticsearch');
    res.statusCode = req.method === 'HEAD' ? 404 : 200;
    res.end(req.method === 'HEAD' ? undefined : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const store = new ElasticsearchStore({ node: `http://127.0.0.1:${port}`, serverMajor: 7, indexPrefix: 'q', readOnly: true });
  await store.init();
  t.deepEqual(await store.counts(), { articles: 0, sentences: 0, mentions: 0, relations: 0 });
  await store.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.deepEqual(seen, ['HEAD /_alias/q-articles']);
});
