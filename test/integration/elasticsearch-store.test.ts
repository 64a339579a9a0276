/**
 * The search-store contract suite against a real Elasticsearch (started by scripts/elasticsearch.sh),
 * plus what only Elasticsearch has: bulk 429 retries and permanent rejections (the dead-letter path),
 * compatibility headers, and reprocessing into a new index set with an atomic alias swap.
 * Runs only when LITMINE_ES_URL is set; otherwise every test reports itself skipped.
 *
 *   scripts/elasticsearch.sh start && LITMINE_ES_URL=http://127.0.0.1:19200 npx ava --serial test/integration/elasticsearch-store.test.ts
 */
import anyTest, { type TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ElasticsearchStore, type ElasticsearchStoreOptions } from '../../src/store/elasticsearch-store.js';
import { CORPUS, CORPUS_COUNTS, DOC_A, DOC_B, annotation, article, corpusOps } from '../store/store-fixtures.js';
import { storeContract } from '../store/store-contract.js';
import { normalizedStoreContract } from '../store/store-contract-ids.js';

const url = process.env.LITMINE_ES_URL;
const skip = url ? undefined : 'LITMINE_ES_URL is not set (scripts/elasticsearch.sh start)';
const test = (url ? anyTest : anyTest.skip) as TestFn;

/** The server's major version, for the client's compatibility headers. */
const serverMajor = url ? Number(((await (await fetch(url)).json()) as { version: { number: string } }).version.number.split('.')[0]) : 9;

function options(prefix: string, node = url!): ElasticsearchStoreOptions {
  return { node, serverMajor, indexPrefix: prefix, replicas: 0, shards: 1, refreshInterval: '1s' };
}

function uniquePrefix(): string {
  return `litmine-t-${randomBytes(4).toString('hex')}`;
}

async function drop(prefix: string): Promise<void> {
  const admin = new ElasticsearchStore(options(prefix));
  await admin.dropAll();
  await admin.close();
}

storeContract(
  'elasticsearch',
  async () => {
    const prefix = uniquePrefix();
    return {
      store: new ElasticsearchStore(options(prefix)),
      reopen: () => new ElasticsearchStore(options(prefix)),
      dispose: () => drop(prefix),
    };
  },
  skip ? { skip } : {},
);
normalizedStoreContract(
  'elasticsearch',
  async () => {
    const prefix = uniquePrefix();
    return { store: new ElasticsearchStore(options(prefix)), dispose: () => drop(prefix) };
  },
  skip ? { skip } : {},
);

test('elasticsearch: the server sends X-Elastic-Product and the store names it in its version', async (t) => {
  const res = await fetch(url!);
  t.is(res.headers.get('x-elastic-product'), 'Elasticsearch');
  t.log(`server ${((await res.json()) as { version: { number: string } }).version.number}, serverMajor ${serverMajor}`);
});

test('elasticsearch: a document the server refuses is rejected with its reason; the rest is applied', async (t) => {
  const prefix = uniquePrefix();
  const store = new ElasticsearchStore(options(prefix));
  try {
    await store.init();
    // "2019-13-45" is no date: the publishedDate field refuses it (a permanent mapping error).
    const bad = { ...article(DOC_B), dates: { published: '2019-13-45' } };
    const result = await store.apply([
      { op: 'upsertArticle', article: article(DOC_A) },
      { op: 'upsertArticle', article: bad },
    ]);
    await store.refresh();
    t.is(result.applied, 1);
    t.is(result.rejected.length, 1);
    t.regex(result.rejected[0]!.reason, /mapper_parsing_exception|date/i);
    t.regex(result.rejected[0]!.reason, /pmid:1002/);
    t.log(result.rejected[0]!.reason);
    t.is((await store.counts()).articles, 1);
  } finally {
    await store.close();
    await drop(prefix);
  }
});

/**
 * A proxy in front of Elasticsearch that answers chosen bulk items with 429 (as a full write queue
 * does) and records request headers.
 */
async function withProxy(
  rejectItem: (id: string, attempt: number) => boolean,
  body: (node: string, seen: IncomingHttpHeaders[]) => Promise<void>,
): Promise<void> {
  const seen: IncomingHttpHeaders[] = [];
  const attempts = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ ...req.headers, ':path': req.url ?? '' });
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
    ) as Record<string, string>;
    const upstream = await fetch(`${url}${req.url}`, {
      method: req.method!,
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    let text = await upstream.text();
    if (req.url?.includes('_bulk') && upstream.ok) {
      const json = JSON.parse(text) as { errors: boolean; items: Record<string, { _id: string; status: number; error?: unknown }>[] };
      for (const item of json.items) {
        const r = Object.values(item)[0]!;
        const n = (attempts.get(r._id) ?? 0) + 1;
        attempts.set(r._id, n);
        if (rejectItem(r._id, n)) {
          r.status = 429;
          r.error = { type: 'es_rejected_execution_exception', reason: 'injected: write queue full' };
          json.errors = true;
        }
      }
      text = JSON.stringify(json);
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      'x-elastic-product': upstream.headers.get('x-elastic-product') ?? '',
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('elasticsearch: bulk items answered 429 are retried; compatibility headers name the server major', async (t) => {
  const prefix = uniquePrefix();
  await withProxy(
    (id, attempt) => id === DOC_A.id && attempt === 1,
    async (node, seen) => {
      const store = new ElasticsearchStore({ ...options(prefix, node), bulk: { wait: 50, retries: 3 } });
      try {
        await store.init();
        const result = await store.apply(corpusOps());
        await store.refresh();
        t.deepEqual(result.rejected, []);
        t.true(store.counters.retried >= 1, `retried ${store.counters.retried}`);
        t.deepEqual(await store.counts(), CORPUS_COUNTS);
        t.truthy(await store.getArticle(DOC_A.id));
        const bulk = seen.find((h) => String(h[':path']).includes('_bulk'))!;
        if (serverMajor !== 9) {
          t.is(bulk['content-type'], `application/vnd.elasticsearch+x-ndjson; compatible-with=${serverMajor}`);
          t.true(seen.every((h) => String(h.accept).includes(`compatible-with=${serverMajor}`)));
        }
        t.false(seen.some((h) => /compatible-with=9/.test(String(h.accept)) && serverMajor !== 9));
      } finally {
        await store.close();
      }
    },
  );
  await drop(prefix);
});

test('elasticsearch: an item still answered 429 after the retries is rejected with the reason', async (t) => {
  const prefix = uniquePrefix();
  await withProxy(
    (id) => id === DOC_B.id,
    async (node) => {
      const store = new ElasticsearchStore({ ...options(prefix, node), bulk: { wait: 10, retries: 2 } });
      try {
        await store.init();
        const result = await store.apply([
          { op: 'upsertArticle', article: article(DOC_A) },
          { op: 'upsertArticle', article: article(DOC_B) },
        ]);
        t.is(result.applied, 1);
        t.is(result.rejected.length, 1);
        t.is((result.rejected[0]!.op as { article: { id: string } }).article.id, DOC_B.id);
        t.regex(result.rejected[0]!.reason, /429/);
      } finally {
        await store.close();
      }
    },
  );
  await drop(prefix);
});

test('elasticsearch: reprocessing fills a new index set while queries answer from the old, then swaps aliases atomically', async (t) => {
  const prefix = uniquePrefix();
  const store = new ElasticsearchStore(options(prefix));
  try {
    await store.init();
    t.is(await store.currentIndexSet(), '1');
    await store.apply(corpusOps());
    await store.refresh();

    // Analysts keep querying during the whole reprocess and swap.
    let stop = false;
    const answers: number[] = [];
    const errors: unknown[] = [];
    const reader = (async () => {
      while (!stop) {
        try {
          answers.push((await store.search({ text: 'cisplatin' })).total);
        } catch (err) {
          errors.push(err);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const next = await store.createIndexSet('2', { bulkLoad: true });
    const newModel = 'mv-test-0002';
    for (const d of CORPUS) {
      await next.apply([
        { op: 'upsertArticle', article: article(d) },
        { op: 'upsertAnnotation', annotation: annotation(d, newModel) },
      ]);
    }
    // Not visible through the aliases before the swap.
    const before = await store.relations({ entity: { text: 'nephrotoxicity' } });
    t.deepEqual(
      before.relations[0]!.evidence.map((e) => e.relationId),
      [annotation(DOC_A).relations[0]!.id, annotation(DOC_B).relations[0]!.id],
    );
    const previous = await store.swapTo('2');
    t.is(previous, '1');
    stop = true;
    await reader;

    t.deepEqual(errors, []);
    t.true(answers.length > 0);
    t.true(
      answers.every((n) => n === 2),
      `answers: ${answers.join(',')}`,
    );
    t.is(await store.currentIndexSet(), '2');
    t.deepEqual(await store.counts(), CORPUS_COUNTS);
    const after = await store.relations({ entity: { text: 'nephrotoxicity' } });
    t.deepEqual(
      after.relations[0]!.evidence.map((e) => e.relationId),
      [annotation(DOC_A, newModel).relations[0]!.id, annotation(DOC_B, newModel).relations[0]!.id],
    );
    // Writes through the aliases now land in the new set.
    await store.apply([{ op: 'deleteArticle', documentId: DOC_B.id }]);
    await store.refresh();
    t.is((await next.counts()).articles, CORPUS.length - 1);
    await t.throwsAsync(store.dropIndexSet('2'), { message: /index set 2 is live/ });
    await store.dropIndexSet('1');
    t.is((await store.search({ text: 'cisplatin' })).total, 1);
  } finally {
    await store.close();
    await drop(prefix);
  }
});
