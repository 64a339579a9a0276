/**
 * `npm run bench:norm`: what normalization adds to the annotate stage. The same real documents
 * (BC5CDR test titles and abstracts as Article records, read in place) go through annotateArticles
 * with the committed NER model, without and with the normalizer (abbreviations, candidates,
 * ranking), alternating, in one process. The normalizer's own time is measured inside annotate, cold
 * (first pass) and warm (cache filled), and reported per mention and as a ratio to annotate alone.
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

// The normalizer's own time, measured inside annotate: on a shared machine the NER time around it
// varies by more than normalization costs, so whole-run differences alone would mostly show noise.
const timed = (n: Normalizer) => {
  const own = { seconds: 0 };
  const normalize = n.normalize.bind(n);
  n.normalize = (passages, mentions, options) => {
    const t0 = process.hrtime.bigint();
    try {
      return normalize(passages, mentions, options);
    } finally {
      own.seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    }
  };
  return own;
};
const time = async (a: typeof plain) => {
  const t0 = process.hrtime.bigint();
  const out = await annotateArticles(articles, a);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, mentions: out.reduce((n, x) => n + x.mentions.length, 0) };
};
await time(plain); // warm-up: model load and first-call costs
const cold = timed(normalizer);
const withNorm = Object.assign(Object.create(Object.getPrototypeOf(plain)), plain, { normalizer });
const rounds = Number(values.rounds);
const plainRuns: number[] = [];
const normRuns: number[] = [];
let mentions = 0;
let coldSeconds = 0;
for (let r = 0; r < rounds; r++) {
  plainRuns.push((await time(plain)).seconds);
  const n = await time(withNorm);
  normRuns.push(n.seconds);
  mentions = n.mentions;
  if (r === 0) coldSeconds = cold.seconds; // the first pass fills the normalizer's cache
}
const warmSeconds = rounds > 1 ? (cold.seconds - coldSeconds) / (rounds - 1) : coldSeconds;
const best = (xs: number[]) => Math.min(...xs);
const ner = best(plainRuns);
console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}`);
console.log(`${articles.length} documents, ${mentions} mentions (with abbreviations added)`);
console.log(`annotate without normalization: ${ner.toFixed(2)} s (best of ${rounds}); with: ${best(normRuns).toFixed(2)} s`);
console.log(
  `normalization inside annotate: ${((coldSeconds * 1000) / mentions).toFixed(3)} ms/mention cold cache, ${((warmSeconds * 1000) / mentions).toFixed(3)} ms/mention warm; ` +
    `ratio (annotate + normalization) / annotate = ${((ner + coldSeconds) / ner).toFixed(3)} cold, ${((ner + warmSeconds) / ner).toFixed(3)} warm`,
);
await plain.close();
normalizer.dict.close();
