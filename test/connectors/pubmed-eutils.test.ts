// The pubmed and pmc E-utilities sources against a local NCBI stand-in serving real recorded
// esearch answers and real PubMed/PMC XML: history-server paging, window splitting, resume, the
// request parameters, the rate seen by the server, and every fault NCBI is known to produce.
import test, { type ExecutionContext } from 'ava';
import { readFileSync } from 'node:fs';
import type { ArticleBatch } from '../../connectors/connector.js';
import { HttpClient } from '../../connectors/http/http-client.js';
import { RateLimiter } from '../../connectors/http/rate-limiter.js';
import { createConnector } from '../../connectors/index.js';
import { MemoryCursorStore } from '../../connectors/memory-cursor-store.js';
import { defaultConfig, type LitmineConfig } from '../../src/config/config-schema.js';
import type { LitmineError } from '../../src/errors.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { type Fault, FakeNcbi, pmcDocs, pubmedDocs } from './fake-ncbi.js';

// Serial: these tests measure time (rates, Retry-After), which parallel parsing on 2 cores would blur.
const sharedTest = hasSharedData ? test.serial : test.skip;

const DAYS = ['2026-01-01', '2026-01-02', '2026-01-03'];
const esearchTemplate = () => readFileSync(sharedPath('eutils', 'biopython', 'esearch2.xml'), 'utf8');
const ids = (batches: ArticleBatch[]) =>
  batches.flatMap((b) => b.records).map((r: ParsedRecord) => (r.kind === 'article' ? r.article.id : `${r.kind}`));

function configFor(server: FakeNcbi, ncbi: Partial<LitmineConfig['ncbi']> = {}): LitmineConfig {
  return { ...defaultConfig, ncbi: { ...defaultConfig.ncbi, eutilsBaseUrl: server.baseUrl, email: 'ops@example.org', ...ncbi } };
}

async function withServer(_t: ExecutionContext, fn: (server: FakeNcbi, docs: ReturnType<typeof pubmedDocs>) => Promise<void>) {
  const docs = pubmedDocs([sharedPath('pubmed-xml', 'fatcat', 'pubmedsample_2019.xml')], DAYS);
  const server = await new FakeNcbi(
    {
      pubmed: docs,
      pmc: pmcDocs(
        [
          sharedPath('pmc-jats-more', 'ncbiutils', 'pmc.xml'),
          sharedPath('pmc-jats-more', 'ncbiutils', 'pmc_author.xml'),
          sharedPath('pmc-jats-more', 'ncbiutils', 'pmc_corres_ambiguous.xml'),
          sharedPath('pmc-jats-more', 'ncbiutils', 'pmc_corres_author.xml'),
          sharedPath('pmc-jats-more', 'ncbiutils', 'pmc_no_iso_doi.xml'),
          sharedPath('pmc-jats-more', 'ncbiutils', 'pmc_dual_author_corres.xml'),
          sharedPath('pmc-jats', 'biopython', 'efetch_pmc.xml'),
        ],
        DAYS,
      ),
    },
    esearchTemplate(),
  ).start();
  try {
    await fn(server, docs);
  } finally {
    await server.stop();
  }
}

/** A fast-retrying client (tests stay short) behind its own limiter. */
function fastHttp(perSecond: number, extra: ConstructorParameters<typeof HttpClient>[0] = {}) {
  const limiter = new RateLimiter(perSecond);
  return { limiter, http: new HttpClient({ limiter, backoffMs: 20, maxBackoffMs: 100, retries: 4, ...extra }) };
}

async function collect(it: AsyncIterable<ArticleBatch>, limit = Infinity): Promise<ArticleBatch[]> {
  const out: ArticleBatch[] = [];
  for await (const b of it) {
    out.push(b);
    if (out.length >= limit) break;
  }
  return out;
}

sharedTest('pubmed: one esearch on the history server, efetch pages through the WebEnv, every parameter sent', async (t) => {
  await withServer(t, async (server, docs) => {
    const config = configFor(server, { apiKey: 'k3y', efetchBatchSize: 50 });
    const connector = createConnector('pubmed', config, new MemoryCursorStore(), fastHttp(10));
    const batches = await collect(connector.batches({ since: '2026-01-01', until: '2026-01-03' }));
    t.deepEqual(
      ids(batches),
      docs.map((d) => `pmid:${d.uid}`),
    );
    t.deepEqual(
      batches.map((b) => b.records.length),
      [50, 50, 50, docs.length - 150],
    );
    const [search] = server.requests('esearch');
    t.like(search!.params, {
      db: 'pubmed',
      term: 'all[sb]',
      datetype: 'edat',
      mindate: '2026/01/01',
      maxdate: '2026/01/03',
      usehistory: 'y',
      retmax: '0',
      tool: 'litmine',
      email: 'ops@example.org',
      api_key: 'k3y',
    });
    const fetches = server.requests('efetch').map((r) => r.params);
    t.deepEqual(
      fetches.map((p) => [p.retstart, p.retmax]),
      [
        ['0', '50'],
        ['50', '50'],
        ['100', '50'],
        ['150', String(docs.length - 150)],
      ],
    );
    t.true(
      fetches.every(
        (p) => p.WebEnv === 'MCID_fake1' && p.query_key === '1' && p.db === 'pubmed' && p.api_key === 'k3y' && p.tool === 'litmine',
      ),
    );
    t.is(batches.at(-1)!.cursorKey, 'pubmed');
  });
});

sharedTest('pubmed: without an API key the server never sees more than 3 requests in any second', async (t) => {
  await withServer(t, async (server, docs) => {
    const config = configFor(server, { efetchBatchSize: 20 });
    // The process-wide limiter (no override): the same one every connector of this base URL shares.
    const connector = createConnector('pubmed', config, new MemoryCursorStore());
    const other = createConnector('pubmed', config, new MemoryCursorStore());
    const started = performance.now();
    // Two connectors at once share one limiter: together they still stay at 3/s.
    const [a, b] = await Promise.all([
      collect(connector.batches({ since: '2026-01-01', until: '2026-01-01' })),
      collect(other.batches({ since: '2026-01-02', until: '2026-01-02' })),
    ]);
    const seconds = (performance.now() - started) / 1000;
    t.is(ids(a).length + ids(b).length, docs.filter((d) => d.day <= '2026-01-02').length);
    t.true(server.log.length >= 8, `${server.log.length} requests`);
    t.true(server.maxInWindow(1000) <= 3, `max ${server.maxInWindow(1000)} in 1 s`);
    t.true(seconds < server.log.length / 1.5 + 5, `${seconds.toFixed(1)} s for ${server.log.length} requests`);
    t.log(`${server.log.length} requests in ${seconds.toFixed(2)} s; max in any 1-s window: ${server.maxInWindow(1000)}`);
  });
});

sharedTest('pubmed: with a key, at most 10 in any second, and slow answers do not let a burst through', async (t) => {
  await withServer(t, async (server) => {
    server.faults.efetch = [
      { kind: 'slow', ms: 300 },
      { kind: 'slow', ms: 300 },
    ];
    const { http } = fastHttp(10);
    const connector = createConnector('pubmed', configFor(server, { apiKey: 'k', efetchBatchSize: 8 }), new MemoryCursorStore(), { http });
    await collect(connector.batches({ since: '2026-01-01', until: '2026-01-03' }));
    t.true(server.log.length >= 20);
    t.true(server.maxInWindow(1000) <= 10, `max ${server.maxInWindow(1000)}`);
    t.log(`${server.log.length} requests; max in any 1-s window: ${server.maxInWindow(1000)}`);
  });
});

sharedTest('pubmed: a window over the esearch limit is split by day, then a day by UID halves', async (t) => {
  await withServer(t, async (server, docs) => {
    const connector = createConnector('pubmed', configFor(server, { efetchBatchSize: 25 }), new MemoryCursorStore(), fastHttp(1000));
    (connector as unknown as { options: { windowLimit: number } }).options.windowLimit = 30;
    const got = ids(await collect(connector.batches({ since: '2026-01-01', until: '2026-01-03' })));
    t.is(got.length, docs.length);
    t.is(new Set(got).size, docs.length);
    const searches = server.requests('esearch').map((r) => r.params);
    t.true(searches.some((p) => p.mindate === '2026/01/01' && p.maxdate === '2026/01/02'));
    t.true(searches.some((p) => p.mindate === '2026/01/03' && p.maxdate === '2026/01/03' && /\[uid\]/.test(p.term!)));
    // No efetch ever pages past the (lowered) limit.
    t.true(server.requests('efetch').every((r) => Number(r.params.retstart) + Number(r.params.retmax) <= 30));
  });
});

sharedTest('pubmed: a crash after any batch resumes after the saved cursor, each PMID exactly once', async (t) => {
  await withServer(t, async (server, docs) => {
    const config = configFor(server, { efetchBatchSize: 20 });
    const make = (store: MemoryCursorStore) => {
      const c = createConnector('pubmed', config, store, fastHttp(1000));
      (c as unknown as { options: { windowLimit: number } }).options.windowLimit = 45;
      return c;
    };
    for (const crashAfter of [1, 3, 6]) {
      const store = new MemoryCursorStore();
      const delivered: string[] = [];
      for (const b of await collect(make(store).batches({ since: '2026-01-01', until: '2026-01-03' }), crashAfter)) {
        delivered.push(...ids([b]));
        await store.set(b.cursorKey, b.cursor);
      }
      for await (const b of make(store).batches({ since: '2026-01-01', until: '2026-01-03' })) {
        delivered.push(...ids([b]));
        await store.set(b.cursorKey, b.cursor);
      }
      t.is(delivered.length, docs.length, `crash after ${crashAfter}`);
      t.is(new Set(delivered).size, docs.length);
    }
  });
});

const faultCases: [string, Fault[], string][] = [
  [
    '503 twice',
    [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 502 },
    ],
    'efetch',
  ],
  ['a cut-off chunked body (no closing root element)', [{ kind: 'truncate' }], 'efetch'],
  ['a body shorter than its Content-Length', [{ kind: 'short' }], 'efetch'],
  [
    '{"error":"API rate limit exceeded"}',
    [{ kind: 'json', body: '{"error":"API rate limit exceeded","api-key":"1.2.3.4","count":"4","limit":"3"}' }],
    'esearch',
  ],
  ['an answer slower than the headers timeout', [{ kind: 'slow', ms: 2500 }], 'efetch'],
];
for (const [name, faults, utility] of faultCases) {
  sharedTest(`pubmed: retries ${name} and delivers everything once`, async (t) => {
    await withServer(t, async (server, docs) => {
      server.faults[utility] = [...faults];
      const retries: string[] = [];
      const { http } = fastHttp(1000, {
        headersTimeoutMs: faults[0]!.kind === 'slow' ? 500 : 30_000,
        onRetry: (i) => retries.push(i.error.code),
      });
      const connector = createConnector('pubmed', configFor(server, { efetchBatchSize: 100 }), new MemoryCursorStore(), { http });
      const got = ids(await collect(connector.batches({ since: '2026-01-01', until: '2026-01-03' })));
      t.deepEqual(
        got,
        docs.map((d) => `pmid:${d.uid}`),
      );
      t.deepEqual(
        retries,
        faults.map(() => 'LITMINE_HTTP_TRANSIENT'),
      );
    });
  });
}

sharedTest('pubmed: 429 with Retry-After waits that long before trying again', async (t) => {
  await withServer(t, async (server) => {
    server.faults.esearch = [{ kind: 'status', status: 429, retryAfter: '1', body: '{"error":"API rate limit exceeded"}' }];
    const connector = createConnector('pubmed', configFor(server), new MemoryCursorStore(), fastHttp(1000));
    await collect(connector.batches({ since: '2026-01-01', until: '2026-01-01' }));
    const [first, second] = server.requests('esearch');
    t.true(second!.at - first!.at >= 1000, `${(second!.at - first!.at).toFixed(0)} ms`);
  });
});

sharedTest('pubmed: an expired WebEnv (efetch <ERROR>) is searched again and paging goes on', async (t) => {
  await withServer(t, async (server, docs) => {
    server.faults.efetch = [
      {
        kind: 'xml',
        body: '<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>',
      },
    ];
    const connector = createConnector('pubmed', configFor(server, { efetchBatchSize: 100 }), new MemoryCursorStore(), fastHttp(1000));
    t.is(ids(await collect(connector.batches({ since: '2026-01-01', until: '2026-01-03' }))).length, docs.length);
    t.is(server.requests('esearch').length, 2);
  });
});

sharedTest('pubmed: errors NCBI sends as answers are LITMINE_EUTILS_ERROR, permanent HTTP errors are not retried', async (t) => {
  await withServer(t, async (server) => {
    const esearch8 = readFileSync(sharedPath('eutils', 'biopython', 'esearch8.xml'), 'utf8');
    const esummary8 = readFileSync(sharedPath('eutils', 'biopython', 'esummary8.xml'), 'utf8');
    const run = async (faults: Fault[], utility = 'esearch') => {
      server.faults[utility] = faults;
      const connector = createConnector('pubmed', configFor(server), new MemoryCursorStore(), fastHttp(1000));
      return (await t.throwsAsync(collect(connector.batches({ since: '2026-01-01' })))) as LitmineError;
    };
    const phrase = await run([{ kind: 'xml', body: esearch8 }]);
    t.is(phrase.code, 'LITMINE_EUTILS_ERROR');
    t.regex(phrase.message, /PhraseNotFound: abcXYZ/);
    const error = await run([{ kind: 'xml', body: esummary8 }]);
    t.is(error.code, 'LITMINE_EUTILS_ERROR');
    t.regex(error.message, /Neither query_key nor id specified/);
    const key = await run([{ kind: 'json', body: '{"error":"API key invalid","api-key":"x"}' }]);
    t.is(key.code, 'LITMINE_EUTILS_ERROR');
    const before = server.log.length;
    const bad = await run([{ kind: 'status', status: 400, body: 'bad request' }]);
    t.is(bad.code, 'LITMINE_HTTP_FAILED');
    t.is(server.log.length - before, 1);
    const exhausted = await run(Array.from({ length: 6 }, () => ({ kind: 'status', status: 500 }) as Fault));
    t.is(exhausted.code, 'LITMINE_HTTP_TRANSIENT');
    t.true(exhausted.retriable);
    t.false(/k3y/.test(exhausted.message));
  });
});

sharedTest('pmc: efetch db=pmc full texts, licence kept, articles without a text-mining licence skipped and counted', async (t) => {
  await withServer(t, async (server) => {
    const connector = createConnector('pmc', configFor(server), new MemoryCursorStore(), fastHttp(1000));
    const batches = await collect(connector.batches({ since: '2026-01-01', until: '2026-01-03' }));
    const articles = batches.flatMap((b) => b.records).flatMap((r) => (r.kind === 'article' ? [r.article] : []));
    const skipped = batches.reduce((n, b) => n + (b.skipped?.licence ?? 0), 0);
    const [search] = server.requests('esearch');
    t.like(search!.params, { db: 'pmc', term: 'open access[filter]', usehistory: 'y' });
    t.true(server.requests('efetch').every((r) => r.params.db === 'pmc'));
    t.true(articles.every((a) => a.license && a.source === 'pmc' && a.id.startsWith('pmid:')));
    t.true(articles.some((a) => a.id === 'pmid:35390271' && a.license === 'https://creativecommons.org/licenses/by/4.0/' && a.fullText));
    // PMC7857436, PMC6745503, PMC8902543 (no licence), PMC7849395 (ASM copyright), PMC7953258 (publisher terms URL)
    t.is(skipped, 5);
    t.is(articles.length + skipped, 12);
    const commercial = createConnector('pmc', configFor(server), new MemoryCursorStore(), { ...fastHttp(1000), commercialOnly: true });
    const cb = await collect(commercial.batches({ since: '2026-01-01', until: '2026-01-03' }));
    t.true(cb.reduce((n, b) => n + (b.skipped?.['licence-noncommercial'] ?? 0), 0) >= 3);
  });
});
