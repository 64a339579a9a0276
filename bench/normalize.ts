/**
 * `npm run bench:norm`: what normalization adds to the annotate stage. The same real documents
 * (BC5CDR test titles and abstracts as Article records, read in place) go through annotateArticles
 * with the committed NER model, once without and once with the normalizer (abbreviations,
 * candidates, ranking), alternating, in one process; reported per mention and as a ratio.
 *
 *   npm run bench:norm -- --documents 60 --dictionary data/vocab/dictionary.sqlite
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readPubtatorDocuments } from '../src/interchange/pubtator.js';
import { createOnnxAnnotator } from '../src/nlp/onnx-annotator.js';
import { Normalizer } from '../src/norm/normalizer.js';
import { loadRanker } from '../src/norm/ranker.js';
import { SCHEMA_VERSION, type Article } from '../src/records/types.js';
import { annotateArticles } from '../src/stages/annotate-articles.js';
import { Dictionary } from '../src/vocab/dictionary.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.LITMINE_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '60' },
    dictionary: { type: 'string', default: join(ROOT, 'data', 'vocab', 'dictionary.sqlite') },
    rounds: { type: 'string', default: '2' },
  },
});

const file = join(SHARED, 'bc5cdr-pubtator', 'CDR_TestSet.PubTator.txt');
if (!existsSync(file) || !existsSync(values.dictionary!)) {
  console.error(`bench:norm needs ${file} and a dictionary at ${values.dictionary} (litmine vocab build)`);
  process.exit(2);
}
const articles: Article[] = readPubtatorDocuments(readFileSync(file, 'utf8'))
  .slice(0, Number(values.documents))
  .map((d) => ({
    schema: 'litmine.article',
    schemaVersion: SCHEMA_VERSION,
    id: `pmid:${d.pmid}`,
    version: 1,
    source: 'pubmed',
    pmid: d.pmid,
    title: d.title,
    passages: [
      { id: 'title', kind: 'title', text: d.title },
      { id: 'abstract', kind: 'abstract', text: d.abstract },
    ],
    authors: [],
    languages: ['eng'],
    publicationTypes: [],
    mesh: [],
    chemicals: [],
    keywords: [],
    dates: {},
    fullText: false,
  }));

const options = { nerDir: join(ROOT, 'models', 'ner'), reDir: null, executionProvider: 'cpu' as const, intraOpThreads: 2, batchSize: 1 };
const plain = await createOnnxAnnotator(options);
const normalizer = new Normalizer(Dictionary.open(values.dictionary!), loadRanker(join(ROOT, 'models', 'norm', 'ranker.json')));
const withNorm = Object.assign(Object.create(Object.getPrototypeOf(plain)), plain, { normalizer });

const time = async (a: typeof plain) => {
  const t0 = process.hrtime.bigint();
  const out = await annotateArticles(articles, a);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, mentions: out.reduce((n, x) => n + x.mentions.length, 0) };
};
await time(plain); // warm-up: model load and first-call costs
const runs = { plain: [] as number[], norm: [] as number[] };
let mentions = { plain: 0, norm: 0 };
for (let r = 0; r < Number(values.rounds); r++) {
  const p = await time(plain);
  const n = await time(withNorm);
  runs.plain.push(p.seconds);
  runs.norm.push(n.seconds);
  mentions = { plain: p.mentions, norm: n.mentions };
}
// Cold: a new normalizer (empty cache) on the same documents.
const cold = Object.assign(Object.create(Object.getPrototypeOf(plain)), plain, {
  normalizer: new Normalizer(normalizer.dict, normalizer.ranker),
});
const c = await time(cold);
const best = (xs: number[]) => Math.min(...xs);
const extraMs = ((best(runs.norm) - best(runs.plain)) * 1000) / mentions.norm;
const coldMs = ((c.seconds - best(runs.plain)) * 1000) / mentions.norm;
console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}`);
console.log(`${articles.length} documents, ${mentions.plain} mentions without normalization, ${mentions.norm} with (added abbreviations)`);
console.log(
  `annotate without normalization: ${best(runs.plain).toFixed(2)} s; with: ${best(runs.norm).toFixed(2)} s (warm cache), ${c.seconds.toFixed(2)} s (cold cache)`,
);
console.log(
  `added cost per mention: ${extraMs.toFixed(3)} ms warm, ${coldMs.toFixed(3)} ms cold; ratio with/without ${(best(runs.norm) / best(runs.plain)).toFixed(3)} warm, ${(c.seconds / best(runs.plain)).toFixed(3)} cold`,
);
await plain.close();
normalizer.dict.close();
