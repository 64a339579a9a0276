/**
 * The bounded load test of `litmine serve` on the embedded store: 200 connections for 10 s over
 * mixed routes at their largest pages (limit=100, highlights and hit annotations on, exports of 100
 * documents) while /healthz is polled on a connection of its own. The server runs in its own
 * process over the README's PubMed and PMC data (indexed by the real pipeline, word-list
 * annotations). /healthz must stay answered (p99 < 250 ms) and no request may run past the query
 * time limit + 1 s: queries run in reader threads and a request out of time is answered 504.
 *
 *   npm run test:faults -- --match '*load*'
 */
import test from 'ava';
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Client } from 'undici';
import { DEFAULT_LIMITS } from '../../src/serve/build-app.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { loadServeCorpus } from '../serve/serve-fixture.js';
import { storeFile } from '../serve/real-store.js';
import { serveProcess } from './serve-process.js';

const CONNECTIONS = 200;
const SECONDS = 10;

const withData = hasSharedData ? test.serial : test.serial.skip;

withData(
  `load: ${CONNECTIONS} connections × ${SECONDS} s of mixed routes; /healthz p99 < 250 ms, nothing past the time limit + 1 s`,
  async (t) => {
    const path = storeFile();
    const store = new SqliteStore({ path });
    await store.init();
    await loadServeCorpus(store, [sharedPath('pubmed-xml'), sharedPath('pmc-jats')]);
    const counts = await store.counts();
    const words = ['cancer', 'cells', 'protein', 'patients', 'treatment', 'expression', 'mice', 'tumor', 'dna', 'receptor', 'cell', 'gene'];
    const ids = (await store.search({ text: '', limit: 100 })).hits.map((h) => h.documentId);
    const keys = [...new Set((await store.relations({ limit: 100 })).relations.flatMap((g) => [g.subject.key, g.object.key]))];
    await store.close();
    const e = encodeURIComponent;
    const paths = words.flatMap((w, i) => {
      const k = e(keys[i % keys.length]!);
      return [
        `/api/search?q=${e(w)}&limit=100&annotate=true`,
        `/api/search?q=${e(w)}&target=sentences&limit=100&annotate=true`,
        `/api/facets?type=Chemical&q=${e(w)}&limit=100`,
        `/api/ask?q=${e(w)}&limit=100`,
        `/api/relations?entity=${k}&limit=100&evidence=20`,
        `/api/entities/${k}?relations=50&evidence=10&coMentioned=50`,
        `/api/entities?prefix=${e(w.slice(0, 3))}&limit=50`,
        `/api/articles/${e(ids[i % ids.length]!)}`,
        `/api/export?format=${['biocjson', 'biocxml', 'pubtator'][i % 3]}&q=${e(w)}&limit=100`,
      ];
    });

    const server = await serveProcess(path);
    t.teardown(() => server.stop());
    const statuses = new Map<number, number>();
    const latencies: number[] = [];
    let next = 0;
    const options = {
      url: server.base,
      connections: CONNECTIONS,
      duration: SECONDS,
      // Long enough that a slow answer is measured, not cut off by the load generator.
      timeout: 30,
      requests: [{ setupRequest: (req: { path: string }) => ({ ...req, path: paths[next++ % paths.length]! }) }],
    };
    const load = autocannon(options);
    load.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      latencies.push(ms);
    });
    // /healthz on a connection of its own, one request at a time, while the load runs.
    const probe = new Client(server.base, { pipelining: 0 });
    const healthz: number[] = [];
    let loading = true;
    const polling = (async () => {
      while (loading) {
        const t0 = performance.now();
        const r = await probe.request({ path: '/healthz', method: 'GET' });
        await r.body.text();
        if (r.statusCode === 200) healthz.push(performance.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const result = await load;
    loading = false;
    await polling;
    await probe.close();

    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
    const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
    const worst = Math.max(...latencies);
    t.log(
      `${cpu}; load average ${loadavg()[0]!.toFixed(1)}; store ${JSON.stringify(counts)}; ${result.requests.total} requests ` +
        `(${(result.requests.total / SECONDS).toFixed(0)}/s), statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, ` +
        `latency p50 ${pct(latencies, 50).toFixed(0)} / p99 ${pct(latencies, 99).toFixed(0)} / max ${worst.toFixed(0)} ms; ` +
        `/healthz ${healthz.length} polls, p50 ${pct(healthz, 50).toFixed(1)} / p99 ${pct(healthz, 99).toFixed(1)} / max ${Math.max(...healthz).toFixed(1)} ms`,
    );
    t.true(result.requests.total > 0);
    t.is(result.errors + result.timeouts, 0, 'no connection errors or cut-off requests');
    t.deepEqual(
      [...statuses.keys()].filter((s) => s !== 200 && s !== 504),
      [],
      'every answer is 200, or 504 for a request out of time',
    );
    t.true(healthz.length > 50, `${healthz.length} /healthz polls`);
    t.true(pct(healthz, 99) < 250, `/healthz p99 ${pct(healthz, 99).toFixed(1)} ms`);
    t.true(worst < DEFAULT_LIMITS.queryTimeoutMs + 1000, `slowest answer ${worst.toFixed(0)} ms`);
  },
);
