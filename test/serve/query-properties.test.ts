/**
 * Property test over every route's parameter schema, read from the server's own OpenAPI document
 * so that a new route or parameter is covered without editing this file: random and boundary
 * values (Infinity, NaN, -0, 1e309, hex and exponent forms, huge strings, NUL, broken UTF-8
 * escapes, repeated and unknown parameters, alongside real words of the README's data) never give a
 * 5xx, every error has the one error shape, and no answer holds more than the route's bound.
 * 10,000 requests through app.inject() on the README's PubMed data (reads on the server's thread:
 * the reader threads have their own tests, and here only the schemas and bounds are under test).
 */
import test from 'ava';
import fc from 'fast-check';
import { buildApp } from '../../src/serve/build-app.js';
import { hasSharedData } from '../helpers/shared-data.js';
import { realStore } from './real-store.js';

const RUNS = 10_000;

interface Parameter {
  in: 'query' | 'path';
  name: string;
  required?: boolean;
  schema: { type: string; enum?: string[]; maximum?: number; default?: unknown };
}

/** How many items each route's answer holds, and the most it may hold for the parameters sent. */
type Count = (body: unknown, text: string, value: (name: string) => number) => { n: number; max: number }[];
const list = (body: unknown, key: string) => ((body as Record<string, unknown[]>)[key] ?? []).length;
const COUNTS: Record<string, Count> = {
  '/api/search': (b, _t, v) => [{ n: list(b, 'hits'), max: v('limit') }],
  '/api/facets': (b, _t, v) => [{ n: list(b, 'facets'), max: v('limit') }],
  '/api/ask': (b, _t, v) => [{ n: list(b, 'sentences'), max: v('limit') }],
  '/api/entities': (b, _t, v) => [{ n: list(b, 'suggestions'), max: v('limit') }],
  '/api/relations': (b, _t, v) => [
    { n: list(b, 'relations'), max: v('limit') },
    ...((b as { relations: { evidence: unknown[] }[] }).relations ?? []).map((r) => ({ n: r.evidence.length, max: v('evidence') })),
  ],
  '/api/entities/{key}': (b, _t, v) => [
    { n: list((b as { relations: unknown }).relations, 'relations'), max: v('relations') },
    { n: list(b, 'coMentioned'), max: v('coMentioned') },
  ],
  '/api/articles/{id}': () => [],
  '/api/export': (_b, text, v) => [
    {
      n: Math.max(
        (text.match(/<document>/g) ?? []).length,
        (text.match(/^[^|\n]+\|t\|/gm) ?? []).length,
        text.startsWith('{') ? (JSON.parse(text).documents ?? []).length : 0,
      ),
      max: v('limit') + v('ids'),
    },
  ],
};

const WORDS = ['cancer', 'cisplatin', 'cell', 'Chemical', 'Disease', 'CID', '@Chemical', 'Chemical:cisplatin', 'Methods', 'pmid:99000001'];
const NUMBERS = [
  'Infinity',
  '-Infinity',
  'NaN',
  '-0',
  '0',
  '1',
  '2',
  '10',
  '50',
  '100',
  '101',
  '10000',
  '10001',
  '1e309',
  '1e2',
  '0x10',
  '1.5',
  ' 5',
  '5 ',
  '+3',
  '-1',
  '9007199254740993',
  '',
];
const HOSTILE = [
  'a\u0000b',
  '\u0000',
  '"',
  "'; DROP TABLE articles; --",
  'cancer OR cell',
  'NEAR(a b)',
  '*',
  '^cell',
  'a:b:c',
  '\uFFFF\u{1F600}\u0301',
  'x'.repeat(600),
  'y'.repeat(20_000),
];
/** Raw (already percent-encoded) fragments: broken UTF-8 and stray escapes. */
const RAW = ['%FF', '%C3%28', '%ED%A0%80', '%E0%A4%A', '%', '%%', '%00', '%0A', '%2525', 'a%2Cb', '%F0%9F%98'];

const hostileText = fc.oneof(fc.constantFrom(...HOSTILE).map(encodeURIComponent), fc.constantFrom(...RAW));
const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }).map(encodeURIComponent) },
  { weight: 2, arbitrary: hostileText },
);
/** Mostly values of the parameter's own kind (so that many requests reach the store), else anything. */
const OWN: Record<string, string[]> = {
  from: ['2015', '2018-06', '2020-02-29'],
  to: ['2019', '2024-12-31'],
  ids: ['pmid:99000001', 'pmid:99000001,pmid:1', 'doi:10.1000%2Fx'],
  type: ['Chemical', 'Disease', 'CID'],
  id: ['pmid:99000001', 'pmid:1', 'doi:10.1000%2Fx'],
  key: ['Chemical%3Acisplatin', 'Disease%3Anephrotoxicity', 'Chemical%3Anone'],
};
const value = (p: Parameter) => {
  const own = OWN[p.name]
    ? fc.constantFrom(...OWN[p.name]!)
    : p.schema.enum
      ? fc.constantFrom(...p.schema.enum)
      : p.schema.type === 'integer'
        ? fc.integer({ min: 1, max: p.schema.maximum ?? 100 }).map(String)
        : p.schema.type === 'boolean'
          ? fc.constantFrom('true', 'false')
          : fc.constantFrom(...WORDS).map(encodeURIComponent);
  return fc.oneof(
    { weight: 30, arbitrary: own },
    { weight: 1, arbitrary: fc.constantFrom(...NUMBERS).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: (p.schema.maximum ?? 100) + 5 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('true', 'false', '1', '0', 'yes') },
    { weight: 2, arbitrary: text },
  );
};
/** A parameter absent, once, or repeated. */
const occurrences = (p: Parameter) =>
  fc.oneof(
    { weight: p.required ? 1 : 6, arbitrary: fc.constant([]) },
    { weight: 6, arbitrary: fc.tuple(value(p)) },
    { weight: 1, arbitrary: fc.array(value(p), { minLength: 2, maxLength: 3 }) },
  );

const withData = hasSharedData ? test : test.skip;

withData(
  `${RUNS} random and boundary requests over every route's parameters: no 5xx, one error shape, no answer over its bound`,
  async (t) => {
    const store = await realStore();
    const app = await buildApp({ store, readThreads: 0 });
    t.teardown(async () => {
      await app.close();
      await store.close();
    });
    const doc = app.swagger() as { paths: Record<string, { get?: { parameters?: Parameter[] } }> };
    const routes = Object.entries(doc.paths).filter(([path, ops]) => path.startsWith('/api/') && ops.get?.parameters?.length);
    t.deepEqual(routes.map(([path]) => path).sort(), Object.keys(COUNTS).sort(), 'every route with parameters has its bound checked here');
    const perRoute = Math.ceil(RUNS / routes.length);
    let sent = 0;
    const statuses = new Map<number, number>();
    for (const [path, ops] of routes) {
      const params = ops.get!.parameters!;
      const query = params.filter((p) => p.in === 'query');
      const pathParams = params.filter((p) => p.in === 'path');
      const request = fc.record({
        query: fc.tuple(...query.map(occurrences)),
        path: fc.tuple(...pathParams.map(value)),
        // Now and then an unknown parameter.
        extra: fc.oneof(
          { weight: 12, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom('limit2=1', 'LIMIT=5', '__proto__=1', 'constructor=x', 'q[]=a', '=', '&&') },
        ),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let url = path;
          pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, r.path[i] || 'x')));
          const pairs = query.flatMap((p, i) => r.query[i]!.map((v) => `${p.name}=${v}`));
          if (r.extra) pairs.push(r.extra);
          url += pairs.length ? `?${pairs.join('&')}` : '';
          const res = await app.inject(url);
          sent++;
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) return false;
          if (res.statusCode >= 400) {
            const body = res.json() as { error?: { code?: string; message?: string } };
            return typeof body.error?.code === 'string' && body.error.code.startsWith('LITMINE_') && typeof body.error.message === 'string';
          }
          const given = new Map(query.map((p, i) => [p.name, r.query[i]![0]]));
          const effective = (name: string) => {
            if (name === 'ids') return given.get('ids') === undefined ? 0 : decodeURIComponent(given.get('ids')!).split(',').length;
            const raw = given.get(name);
            const schema = query.find((p) => p.name === name)?.schema;
            return raw === undefined ? Number(schema?.default ?? 0) : Number(decodeURIComponent(raw));
          };
          const json = res.headers['content-type']?.includes('json') ? res.json() : undefined;
          return COUNTS[path]!(json, res.body, effective).every(({ n, max }) => Number.isFinite(max) && n <= max);
        }),
        { numRuns: perRoute, seed: Number(process.env.LITMINE_PROPERTY_SEED ?? Date.now() % 2 ** 31) },
      );
    }
    t.true(sent >= RUNS, `${sent} requests`);
    t.log(`${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    t.true((statuses.get(200) ?? 0) > RUNS / 10, 'a fair share reaches the store');
  },
);
