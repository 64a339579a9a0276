/**
 * `npm run bench:segment`: sentence-segmentation throughput (characters/s) of litmine's
 * segmentSentences beside the ICU sentence segmenter built into Node (Intl.Segmenter), on the same
 * ~1 MB of real abstracts (BC5CDR test set, read in place, one abstract per call: V8 copies the whole
 * input into every ICU segment object, so ICU cannot take one 1 MB string), in the same run; reports
 * the ratio and the machine. Speed belongs here, not in the tests.
 *
 *   npm run bench:segment [-- --mb 4 --rounds 5]
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { segmentSentences } from '../src/text/segment-sentences.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.LITMINE_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
const { values } = parseArgs({ options: { mb: { type: 'string', default: '1' }, rounds: { type: 'string', default: '5' } } });

const file = join(SHARED, 'bc5cdr-pubtator', 'CDR_TestSet.PubTator.txt');
if (!existsSync(file)) {
  console.error(`bench:segment: ${file} not found (set LITMINE_SHARED_DATA)`);
  process.exit(2);
}
const abstracts = readFileSync(file, 'utf8')
  .split('\n')
  .flatMap((line) => /^\d+\|a\|(.*)$/.exec(line)?.slice(1, 2) ?? []);
const target = Number(values.mb) * 1e6;
const parts: string[] = [];
for (let size = 0, i = 0; size < target; i++) {
  const a = abstracts[i % abstracts.length] as string;
  parts.push(a);
  size += a.length + 1;
}
const chars = parts.reduce((n, p) => n + p.length, 0);

const icu = new Intl.Segmenter('en', { granularity: 'sentence' });
const engines: [string, () => number][] = [
  ['litmine segmentSentences', () => parts.reduce((n, p) => n + segmentSentences(p).length, 0)],
  ['Intl.Segmenter (ICU, sentence)', () => parts.reduce((n, p) => n + [...icu.segment(p)].length, 0)],
];

const rounds = Number(values.rounds);
const results = engines.map(([name, run]) => {
  for (let r = 0; r < 2; r++) run(); // let the JIT settle
  let sentences = 0;
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) sentences = run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name, sentences, charsPerSecond: (chars * rounds) / seconds };
});

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`${(chars / 1e6).toFixed(2)} M characters of BC5CDR abstracts, ${rounds} rounds, one core of ${cpu}, Node ${process.version}`);
for (const r of results)
  console.log(`${r.name.padEnd(32)} ${(r.charsPerSecond / 1e6).toFixed(1).padStart(6)} M chars/s  ${r.sentences} sentences`);
const [ours, peer] = results as [(typeof results)[0], (typeof results)[0]];
console.log(`ratio: litmine is ${(ours.charsPerSecond / peer.charsPerSecond).toFixed(1)}× the ICU segmenter`);
