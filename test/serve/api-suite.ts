/**
 * The HTTP API suite of `litmine serve`, run through `app.inject()` (no socket) on a store built
 * from real PubMed XML by the real pipeline: the embedded store in the unit tier
 * (api-embedded.test.ts) and Elasticsearch in the integration tier (test/integration/serve-api.test.ts).
 * Assertions compare answers with each other and with the indexed records, not engine scores.
 *
 *   apiSuite('embedded', async () => ({ store: new SqliteStore({ path: ':memory:' }) }));
 */
import anyTest, { type TestFn } from 'ava';
import type { FastifyInstance } from 'fastify';
import { Counter, register } from 'prom-client';
import { buildApp } from '../../src/serve/build-app.js';
import type { SearchStore } from '../../src/store/store.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import type { OpenedStore } from '../store/store-contract.js';
import { HOSTILE, HOSTILE_TITLE, type ServeCorpus, loadServeCorpus } from './serve-fixture.js';
import { parsePrometheus } from './prometheus-text.js';

interface Context {
  app: FastifyInstance;
  store: SearchStore;
  corpus: ServeCorpus;
  dispose?: () => Promise<void>;
}

export function apiSuite(name: string, open: () => Promise<OpenedStore>, options: { skip?: string } = {}): void {
  const skip = options.skip ?? (hasSharedData ? undefined : 'no ../shared/data');
  const base = anyTest as TestFn<Context>;
  const test = skip ? base.skip : base;
  const title = (t: string) => `${name} API: ${t}${skip ? ` (skipped: ${skip})` : ''}`;

  base.before(async (t) => {
    if (skip) return;
    const opened = await open();
    await opened.store.init();
    const corpus = await loadServeCorpus(opened.store, [sharedPath('pubmed-xml')]);
    const app = await buildApp({ store: opened.store });
    t.context = { app, store: opened.store, corpus, dispose: opened.dispose };
  });
  base.after.always(async (t) => {
    if (skip || !t.context.app) return;
    await t.context.app.close();
    await t.context.store.close();
    await t.context.dispose?.();
  });

  const get = async (t: { context: Context }, url: string) => {
    const res = await t.context.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.headers['content-type']?.includes('json') ? res.json() : res.body, headers: res.headers };
  };
  const total = async (t: { context: Context }, q: string, extra = '') =>
    (await get(t, `/api/search?q=${encodeURIComponent(q)}${extra}`)).body.total as number;

  test(title('the corpus is the real XML with word-list annotations'), async (t) => {
    t.true(t.context.corpus.articles > 150, `${t.context.corpus.articles} articles`);
    t.true(t.context.corpus.mentions > 300);
    t.true(t.context.corpus.relations > 20);
  });

  test(title('search ranks, highlights, pages and filters'), async (t) => {
    const r = await get(t, '/api/search?q=cancer&limit=5');
    t.is(r.status, 200);
    t.true(r.body.total > 5, `${r.body.total} hits`);
    t.is(r.body.hits.length, 5);
    t.true(r.body.hits.every((h: { highlights: string[] }) => h.highlights.some((x) => /«cancer»/i.test(x))));
    const page2 = await get(t, '/api/search?q=cancer&limit=5&offset=5');
    t.is(page2.body.total, r.body.total);
    const ids1 = r.body.hits.map((h: { documentId: string }) => h.documentId);
    t.false(
      page2.body.hits.some((h: { documentId: string }) => ids1.includes(h.documentId)),
      'page 2 repeats no hit of page 1',
    );
    // Each filter narrows.
    const byType = await total(t, 'cancer', '&type=Chemical');
    t.true(byType > 0 && byType < r.body.total, `type filter: ${byType} of ${r.body.total}`);
    const recent = await total(t, 'cancer', '&from=2018');
    t.true(recent > 0 && recent < r.body.total, `date filter: ${recent}`);
    t.is(await total(t, 'cancer', '&from=2018&to=2017'), 0);
    const byEntity = await get(t, '/api/search?q=&entity=Chemical%3Acisplatin&limit=50');
    t.true(byEntity.body.total >= 2);
    t.true(byEntity.body.hits.some((h: { documentId: string }) => h.documentId === HOSTILE.id));
    // Sentences: the hit carries its sentence, which contains the words.
    const s = await get(t, '/api/search?q=cisplatin&target=sentences&limit=3');
    t.true(s.body.total > 0);
    t.true(s.body.hits.every((h: { sentence: { text: string } }) => /cisplatin/i.test(h.sentence.text)));
  });

  test(title('annotate=true adds each hit’s entities and the mentions of its title or sentence, at exact offsets'), async (t) => {
    const r = await get(t, '/api/search?q=tumors&annotate=true&limit=10');
    t.true(r.body.hits.length > 0);
    for (const hit of r.body.hits) {
      t.true(Array.isArray(hit.entities) && hit.entities.length > 0, hit.documentId);
      for (const m of hit.mentions) t.is(hit.title.slice(m.start, m.end), m.text);
    }
    const s = await get(t, '/api/search?q=cisplatin&target=sentences&annotate=true');
    for (const hit of s.body.hits) {
      for (const m of hit.mentions) t.is(hit.sentence.text.slice(m.start - hit.sentence.start, m.end - hit.sentence.start), m.text);
      t.true(hit.mentions.some((m: { key: string }) => m.key === 'Chemical:cisplatin'));
    }
  });

  test(title('user-typed query operators neither break nor widen a search'), async (t) => {
    for (const q of ['"', '*', 'NEAR(', 'NEAR()', 'AND OR', 'OR', '-', ':', '-:', '"" ""', '(', ')', '^', '{}', 'the of and']) {
      const r = await get(t, `/api/search?q=${encodeURIComponent(q)}`);
      t.is(r.status, 200, q);
      t.is(r.body.total, 0, `only operators match nothing: ${JSON.stringify(q)}`);
      t.is((await get(t, `/api/search?target=sentences&q=${encodeURIComponent(q)}`)).body.total, 0, q);
    }
    const cancer = await total(t, 'cancer');
    const both = await total(t, 'cancer tumor');
    t.true(both < cancer);
    t.is(await total(t, 'cancer OR tumor'), both, 'OR is a stopword, not a union');
    t.is(await total(t, 'cancer -tumor'), both, '-x is no negation');
    t.is(await total(t, 'cancer NOT tumor'), both);
    t.is(await total(t, 'NEAR(cancer tumor)'), both);
    t.is(await total(t, 'NEAR(cancer tumor, 2)'), await total(t, 'cancer tumor 2'), 'the distance is just a word');
    t.is(await total(t, '"cancer'), cancer);
    t.is(await total(t, 'title:cancer'), await total(t, 'title cancer'));
    t.is(await total(t, 'canc*'), await total(t, 'canc'), 'no prefix expansion');
    t.true((await total(t, 'canc*')) < cancer);
  });

  test(title('bad input is a 400 in one JSON shape naming the parameter, never a stack trace'), async (t) => {
    const cases: [string, RegExp][] = [
      ['/api/search?q=x&limit=1000', /limit/],
      ['/api/search?q=x&limit=0', /limit/],
      ['/api/search?q=x&offset=-1', /offset/],
      ['/api/search?q=x&limit=ten', /limit/],
      ['/api/search?q=x&from=last-year', /from/],
      ['/api/search?q=x&target=all', /target/],
      ['/api/search?q=x&type=%3Cscript%3E', /type/],
      [`/api/search?q=${'x'.repeat(501)}`, /q/],
      ['/api/search?q=x&sort=date', /additional/],
      ['/api/articles/12345', /id/],
      ['/api/entities', /prefix/],
      ['/api/entities?prefix=', /prefix/],
      ['/api/entities/cisplatin', /key/],
      ['/api/relations?e1=%40', /e1/],
      ['/api/relations?e1=%40%3Cb%3E', /e1/],
      ['/api/relations?type=CID%20OR%201', /type/],
      ['/api/facets', /type/],
      ['/api/ask', /q/],
    ];
    for (const [url, reason] of cases) {
      const r = await get(t, url);
      t.is(r.status, 400, url);
      t.deepEqual(Object.keys(r.body), ['error'], url);
      t.is(r.body.error.code, 'LITMINE_HTTP_BAD_REQUEST', url);
      t.regex(r.body.error.message, reason, url);
      t.notRegex(JSON.stringify(r.body), /\bat .*\.(ts|js):\d+|node_modules/, `no stack in ${url}`);
    }
    const missing = await get(t, '/api/nothing-here');
    t.is(missing.status, 404);
    t.is(missing.body.error.code, 'LITMINE_NOT_FOUND');
  });

  test(title('an article comes with its passages, mentions at exact offsets, and relations with their sentences'), async (t) => {
    const hit = (await get(t, '/api/search?q=tumors&limit=1')).body.hits[0];
    const r = await get(t, `/api/articles/${encodeURIComponent(hit.documentId)}`);
    t.is(r.status, 200);
    t.is(r.body.article.id, hit.documentId);
    const passages = new Map<string, string>(r.body.article.passages.map((p: { id: string; text: string }) => [p.id, p.text]));
    t.true(r.body.mentions.length > 0);
    for (const m of r.body.mentions) {
      t.is(passages.get(m.passageId)!.slice(m.start, m.end), m.text);
      t.is(typeof m.score, 'number');
      t.regex(m.key, /^[A-Za-z]+:/);
    }
    const sentences = new Map(r.body.sentences.map((s: { id: string }) => [s.id, s]));
    for (const rel of r.body.relations) t.true(sentences.has(rel.sentenceId), rel.id);
    const none = await get(t, '/api/articles/pmid:1');
    t.is(none.status, 404);
    t.deepEqual(none.body, { error: { code: 'LITMINE_NOT_FOUND', message: 'no article pmid:1' } });
  });

  test(title('export: BioC JSON, BioC XML and PubTator of listed ids or a search, with exact annotation offsets'), async (t) => {
    const hits = (await get(t, '/api/search?q=tumors&limit=2')).body.hits.map((h: { documentId: string }) => h.documentId);
    const ids = [...hits, HOSTILE.id].join(',');
    const json = await get(t, `/api/export?format=biocjson&ids=${encodeURIComponent(ids)}`);
    t.is(json.status, 200);
    t.regex(String(json.headers['content-type']), /^application\/json/);
    const documents = json.body.documents as {
      infons: Record<string, string>;
      passages: { offset: number; text: string; annotations: { text: string; locations: { offset: number; length: number }[] }[] }[];
    }[];
    t.deepEqual(
      documents.map((d) => d.infons['litmine-id']),
      ids.split(','),
    );
    let annotations = 0;
    for (const d of documents)
      for (const p of d.passages)
        for (const a of p.annotations) {
          const at = a.locations[0]!.offset - p.offset;
          t.is(p.text.slice(at, at + a.locations[0]!.length), a.text);
          annotations++;
        }
    const stored = await Promise.all(ids.split(',').map((id) => t.context.store.articleAnnotations(id)));
    t.is(
      annotations,
      stored.reduce((n, a) => n + a.mentions.length, 0),
      'every stored mention is exported',
    );

    const xml = await get(t, `/api/export?format=biocxml&ids=${HOSTILE.id}`);
    t.is(xml.status, 200);
    t.regex(String(xml.headers['content-type']), /^application\/xml/);
    t.regex(xml.body, /^<\?xml/);
    t.false(xml.body.includes('<script>'), 'markup in the text is escaped');
    t.true(xml.body.includes('&lt;script&gt;'));

    const pt = await get(t, `/api/export?format=pubtator&ids=${HOSTILE.id}`);
    t.regex(String(pt.headers['content-type']), /^text\/plain/);
    t.true(pt.body.startsWith(`99000001|t|${HOSTILE_TITLE}\n`));
    t.regex(pt.body, /\n99000001\t\d+\t\d+\tCisplatin\tChemical/);

    const byQuery = await get(t, '/api/export?format=biocjson&q=cisplatin&limit=5');
    const found = (await get(t, '/api/search?q=cisplatin&limit=5')).body.hits.map((h: { documentId: string }) => h.documentId);
    t.deepEqual(
      byQuery.body.documents.map((d: { infons: Record<string, string> }) => d.infons['litmine-id']),
      found,
    );

    const partly = await get(t, `/api/export?format=pubtator&ids=${HOSTILE.id},pmid:1`);
    t.is(partly.status, 200);
    t.is(partly.headers['x-litmine-not-found'], 'pmid:1');
    t.is((await get(t, '/api/export?format=pubtator&ids=pmid:1')).status, 404);
    for (const bad of [
      '/api/export?format=csv&ids=pmid:1',
      '/api/export?ids=pmid:1',
      '/api/export?format=pubtator',
      `/api/export?format=pubtator&ids=${Array.from({ length: 101 }, (_, i) => `pmid:${i + 1}`).join(',')}`,
      '/api/export?format=pubtator&ids=pmid:1,,pmid:2',
      `/api/export?format=pubtator&q=${'x'.repeat(501)}`,
    ]) {
      const r = await get(t, bad);
      t.is(r.status, 400, bad.slice(0, 80));
      t.is(r.body.error.code, 'LITMINE_HTTP_BAD_REQUEST');
    }
  });

  test(title('the section filter keeps sentences of structured-abstract sections, on articles and sentences'), async (t) => {
    const r = await get(t, '/api/search?q=&target=sentences&section=conclusions&limit=100');
    t.is(r.status, 200);
    t.true(r.body.total > 0 && r.body.total <= 100, `${r.body.total} sentences`);
    for (const hit of r.body.hits as { documentId: string; sentence: { passageId: string } }[]) {
      const passage = (await t.context.store.getArticle(hit.documentId))!.passages.find((p) => p.id === hit.sentence.passageId);
      t.regex(passage?.section ?? '', /^conclusions( > |$)/i, `${hit.documentId} ${hit.sentence.passageId}`);
    }
    const inSection = await total(t, '', '&section=CONCLUSIONS');
    t.true(inSection > 0 && inSection < (await total(t, '')), `${inSection} articles`);
    const word = (r.body.hits[0].sentence.text as string).match(/[A-Za-z]{6,}/)![0];
    t.true((await total(t, word, '&section=CONCLUSIONS')) >= 1, `"${word}" in a conclusion`);
    t.is(await total(t, '', '&section=No%20such%20section'), 0);
    for (const bad of ['/api/search?q=x&section=', `/api/search?q=x&section=${'s'.repeat(201)}`]) t.is((await get(t, bad)).status, 400);
  });

  test(title('entity autocomplete and the entity page'), async (t) => {
    const s = await get(t, '/api/entities?prefix=TUM&limit=5');
    t.is(s.status, 200);
    const keys = s.body.suggestions.map((x: { key: string }) => x.key);
    t.true(keys.includes('Disease:tumors') && keys.includes('Disease:tumor'), keys.join(', '));
    const docs = s.body.suggestions.map((x: { documents: number }) => x.documents);
    t.deepEqual(
      docs,
      [...docs].sort((a: number, b: number) => b - a),
    );
    t.deepEqual((await get(t, '/api/entities?prefix=tum&type=Chemical')).body.suggestions, []);
    t.deepEqual((await get(t, '/api/entities?prefix=%25')).body.suggestions, [], 'a % is no wildcard');

    const e = await get(t, '/api/entities/Chemical%3Acisplatin');
    t.is(e.status, 200);
    t.is(e.body.entity.key, 'Chemical:cisplatin');
    t.is(e.body.entity.type, 'Chemical');
    t.true(e.body.entity.documents >= 2);
    const years = e.body.entity.years.map((y: { year: string }) => y.year);
    t.deepEqual(years, [...years].sort());
    t.true(
      e.body.entity.years.some((y: { year: string }) => y.year === '2024'),
      'the hostile record is from 2024',
    );
    t.true(e.body.relations.relations.length > 0);
    for (const g of e.body.relations.relations) {
      t.true(g.subject.key === 'Chemical:cisplatin' || g.object.key === 'Chemical:cisplatin');
      t.true(g.evidence.length > 0 && g.evidence.length <= 2);
    }
    t.false(e.body.coMentioned.some((c: { key: string }) => c.key === 'Chemical:cisplatin'));
    const none = await get(t, '/api/entities/Chemical%3Aunobtainium');
    t.is(none.status, 404);
    t.is(none.body.error.code, 'LITMINE_NOT_FOUND');
  });

  test(title('relations: entity or type on either side, with evidence sentences and their articles'), async (t) => {
    const r = await get(t, '/api/relations?e1=%40Chemical&type=CID&e2=%40Disease&evidence=2');
    t.is(r.status, 200);
    t.true(r.body.total > 0);
    for (const g of r.body.relations) {
      t.is(g.type, 'CID');
      t.is(g.subject.type, 'Chemical');
      t.is(g.object.type, 'Disease');
      for (const e of g.evidence) {
        t.true(e.sentence.toLowerCase().includes(g.subject.text.toLowerCase()), e.sentence);
        t.regex(e.documentId, /^pmid:/);
      }
    }
    const toCancer = await get(t, '/api/relations?e1=%40Chemical&e2=Disease%3Acancer');
    t.true(toCancer.body.relations.every((g: { object: { key: string } }) => g.object.key === 'Disease:cancer'));
    const byText = await get(t, '/api/relations?entity=cisplatin');
    t.true(byText.body.total > 0);
    t.true(
      byText.body.relations.every(
        (g: { subject: { text: string }; object: { text: string } }) =>
          g.subject.text.toLowerCase() === 'cisplatin' || g.object.text.toLowerCase() === 'cisplatin',
      ),
    );
    const reversed = await get(t, '/api/relations?e1=%40Disease&type=CID&e2=%40Chemical');
    t.is(reversed.body.total, 0, 'e1 is the subject side');
  });

  test(title('facets and ask answer from the same store'), async (t) => {
    const f = await get(t, '/api/facets?type=Disease&entity=Chemical%3Acisplatin');
    t.is(f.status, 200);
    t.true(f.body.facets.length > 0);
    t.true(f.body.facets.every((b: { type: string }) => b.type === 'Disease'));
    const a = await get(t, `/api/ask?q=${encodeURIComponent('Which tumors respond to cisplatin?')}&limit=3`);
    t.is(a.status, 200);
    t.true(a.body.sentences.length > 0);
  });

  test(title('healthz, readyz, OpenAPI and Prometheus metrics'), async (t) => {
    t.deepEqual((await get(t, '/healthz')).body, { status: 'ok' });
    const ready = await get(t, '/readyz');
    t.is(ready.status, 200);
    t.is(ready.body.status, 'ready');
    t.is(ready.body.counts.articles, t.context.corpus.articles + 1);

    const doc = (await get(t, '/api/openapi.json')).body;
    t.regex(doc.openapi, /^3\./);
    for (const path of [
      '/api/search',
      '/api/articles/{id}',
      '/api/entities',
      '/api/entities/{key}',
      '/api/relations',
      '/api/facets',
      '/api/ask',
      '/api/export',
      '/healthz',
      '/readyz',
    ]) {
      t.truthy(doc.paths[path]?.get, `OpenAPI has GET ${path}`);
    }
    const exportQuery = doc.paths['/api/export'].get.parameters.find((p: { name: string }) => p.name === 'format');
    t.deepEqual(exportQuery.schema.enum, ['biocjson', 'biocxml', 'pubtator']);
    const limit = doc.paths['/api/search'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    t.is(limit.schema.maximum, 100);

    // A pipeline counter in the default registry shows up beside the server's own metrics.
    const pipeline =
      (register.getSingleMetric('litmine_test_stage_records_total') as Counter | undefined) ??
      new Counter({ name: 'litmine_test_stage_records_total', help: 'records a stage handled (test)', labelNames: ['stage'] });
    pipeline.inc({ stage: 'index' }, 3);
    await get(t, '/api/search?q=cancer');
    const m = await get(t, '/metrics');
    t.is(m.status, 200);
    t.regex(String(m.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parsePrometheus(m.body as string);
    t.is(types.get('litmine_http_requests_total'), 'counter');
    t.is(types.get('litmine_http_request_duration_seconds'), 'histogram');
    const searches = samples.filter(
      (s) => s.name === 'litmine_http_requests_total' && s.labels.route === '/api/search' && s.labels.status === '200',
    );
    t.true(searches.length === 1 && searches[0]!.value >= 1);
    const buckets = samples
      .filter(
        (s) => s.name === 'litmine_http_request_duration_seconds_bucket' && s.labels.route === '/api/search' && s.labels.status === '200',
      )
      .map((s) => s.value);
    t.true(buckets.length > 5);
    t.deepEqual(
      buckets,
      [...buckets].sort((a, b) => a - b),
      'cumulative buckets',
    );
    const count = samples.find(
      (s) => s.name === 'litmine_http_request_duration_seconds_count' && s.labels.route === '/api/search' && s.labels.status === '200',
    );
    t.is(buckets.at(-1), count!.value, '+Inf bucket = count');
    t.truthy(samples.find((s) => s.name === 'litmine_test_stage_records_total' && s.labels.stage === 'index' && s.value >= 3));
    t.truthy(samples.find((s) => s.name === 'process_cpu_user_seconds_total'));
  });

  test(title('the page is served with a strict content security policy'), async (t) => {
    const page = await get(t, '/');
    t.is(page.status, 200);
    t.regex(String(page.headers['content-type']), /text\/html/);
    t.regex(String(page.headers['content-security-policy']), /script-src 'self'/);
    t.notRegex(String(page.headers['content-security-policy']), /unsafe-inline|unsafe-eval/);
    t.regex(page.body as string, /<script type="module" src="app.js">/);
    t.is((await get(t, '/app.js')).status, 200);
    // The hostile title comes back from the API as the same text, unchanged (escaping is the page's job).
    const hit = (await get(t, '/api/search?q=hostile')).body.hits[0];
    t.is(hit.title, HOSTILE_TITLE);
  });
}
