/**
 * `npm run bench:serve`: requests/s and p50/p95 latency of `litmine serve` for the search, relations
 * and article routes at 16 concurrent connections (autocannon, loopback only, a bounded duration per
 * route), on the embedded store holding the README's data (../shared/data/pubmed-xml-more and
 * pmc-jats-more) annotated by the word-list annotator of the tests (the real models would take
 * ~25 min on 2 cores; the store's size and shape, not the annotations' quality, set the speed).
 * The server runs in its own child process so that the load generator does not share its event loop.
 *
 *   npm run bench:serve -- --duration 10 --connections 16 [--rebuild]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.LITMINE_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
const STORE = join(ROOT, 'data', 'bench-serve', 'store.sqlite');

const { values } = parseArgs({
  options: {
    child: { type: 'boolean' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    rebuild: { type: 'boolean' },
  },
});

if (values.child) await serveChild();
else await main();

/** The server process: the bench store behind `litmine serve`'s app, request logs and rate limit off. */
async function serveChild(): Promise<void> {
  const { SqliteStore } = await import('../src/store/sqlite-store.js');
  const { buildApp } = await import('../src/serve/build-app.js');
  const store = new SqliteStore({ path: STORE });
  await store.init();
  const app = await buildApp({ store, logger: { level: 'warn' } });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${address}\n`);
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => store.close())
        .then(() => process.exit(0)),
  );
}

async function buildStore(): Promise<void> {
  const { SqliteStore } = await import('../src/store/sqlite-store.js');
  const { loadServeCorpus } = await import('../test/serve/serve-fixture.js');
  rmSync(dirname(STORE), { recursive: true, force: true });
  mkdirSync(dirname(STORE), { recursive: true });
  const store = new SqliteStore({ path: STORE });
  await store.init();
  const t0 = Date.now();
  const inputs = [join(SHARED, 'pubmed-xml-more'), join(SHARED, 'pmc-jats-more')];
  process.stderr.write(`bench:serve: building the store from ${inputs.join(', ')} (word-list annotator)…\n`);
  const corpus = await loadServeCorpus(store, inputs);
  process.stderr.write(
    `bench:serve: ${JSON.stringify(await store.counts())} in ${((Date.now() - t0) / 1000).toFixed(0)} s (${corpus.articles} articles)\n`,
  );
  await store.close();
}

async function main(): Promise<void> {
  if (!existsSync(join(SHARED, 'pubmed-xml-more'))) {
    process.stderr.write(`bench:serve: no ${join(SHARED, 'pubmed-xml-more')}; nothing to measure\n`);
    return;
  }
  if (values.rebuild || !existsSync(STORE)) await buildStore();
  const { SqliteStore } = await import('../src/store/sqlite-store.js');
  const store = new SqliteStore({ path: STORE });
  await store.init();
  // Inputs the routes rotate through, taken from the store itself.
  const words = [
    'cancer',
    'cells',
    'protein',
    'patients',
    'treatment',
    'gene expression',
    'mice',
    'tumor',
    'insulin',
    'dna',
    'infection',
    'receptor',
  ];
  const articleIds = (await store.search({ text: '', limit: 500 })).hits.map((h) => h.documentId);
  const entityKeys = [...new Set((await store.relations({ limit: 100 })).relations.flatMap((g) => [g.subject.key, g.object.key]))];
  const counts = await store.counts();
  await store.close();

  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((ok) => child.stdout.once('data', (d) => ok(String(d).trim())));
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const routes: { name: string; paths: string[] }[] = [
    { name: 'search', paths: words.map((w) => `/api/search?q=${encodeURIComponent(w)}&limit=10`) },
    { name: 'relations', paths: entityKeys.map((k) => `/api/relations?entity=${encodeURIComponent(k)}&limit=20&evidence=3`) },
    { name: 'article', paths: articleIds.map((id) => `/api/articles/${encodeURIComponent(id)}`) },
  ];
  const rows = [];
  try {
    for (const route of routes) {
      rows.push(await load(base, route.name, route.paths, duration, connections));
    }
  } finally {
    child.kill('SIGTERM');
  }
  const cpu = cpus();
  console.log(
    `\nlitmine serve, embedded store ${JSON.stringify(counts)}; ${connections} connections, ${duration} s per route; ` +
      `${cpu.length} × ${cpu[0]?.model ?? 'CPU'}; load average before: ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log('| route | requests/s | p50 ms | p95 ms | non-2xx |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.errors} |`);
}

async function load(base: string, name: string, paths: string[], duration: number, connections: number) {
  let i = 0;
  const times: number[] = [];
  let errors = 0;
  const instance = autocannon({
    url: base,
    connections,
    duration,
    requests: [
      {
        setupRequest: (req: { path: string }) => {
          req.path = paths[i++ % paths.length]!;
          return req;
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms);
    if (status < 200 || status >= 300) errors++;
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? Number.NaN;
  process.stderr.write(`bench:serve: ${name}: ${result.requests.total} requests\n`);
  return { name, rps: result.requests.total / duration, p50: pct(50), p95: pct(95), errors: errors + result.errors + result.timeouts };
}
