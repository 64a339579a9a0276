/**
 * Shared-data tier for segmentSentences: every BC5CDR and JNLPBA abstract, read in place from
 * ../shared/data, keeps the span invariants and the abbreviation rules; boundary precision/recall
 * is measured against GENIA's manual sentences (JNLPBA test) and BC5CDR's sentence split.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { segmentSentences } from '../../src/text/segment-sentences.js';
import { alignGoldSentences, type BoundaryScore, type GoldDoc, readConllSentences, scoreBoundaries } from './gold-boundaries.js';
import { checkSpans } from './span-invariants.js';

/** Title + "\n" + abstract of each document of a PubTator file (title|t|..., id|a|...). */
function readPubTator(file: string): GoldDoc[] {
  const titles = new Map<string, string>();
  const docs: GoldDoc[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d+)\|([ta])\|(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === 't') titles.set(m[1]!, m[3]!);
    else docs.push({ id: m[1]!, text: `${titles.get(m[1]!) ?? ''}\n${m[3]}` });
  }
  return docs;
}

function readStandoffTexts(dir: string): GoldDoc[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ id: f, text: readFileSync(`${dir}/${f}`, 'utf8') }));
}

/** Abbreviations after which a period must never end a sentence (the brief's list and friends). */
const NEVER_SPLIT_AFTER = /(?:^|[\s(])(?:e\.g|i\.e|et al|Figs?|Eqs?|vs|cf|approx|ca|Dr|Ref|Refs|Tab|Suppl|incl)\.$/;
/** Abbreviations that may close a sentence, but only before a capitalised word. */
const SPLIT_ONLY_BEFORE_CAPITAL = /(?:^|[\s(])(?:sp|spp|var|no|etc|resp)\.$/;

/** Problems with one passage's sentences beyond the span contract: splits at abbreviations. */
function abbreviationProblems(text: string): string[] {
  const spans = segmentSentences(text);
  const problems = checkSpans(text, spans);
  for (let k = 0; k + 1 < spans.length; k++) {
    const sentence = text.slice(spans[k]!.start, spans[k]!.end);
    const following = text.slice(spans[k + 1]!.start, spans[k + 1]!.end);
    const at = `…${sentence.slice(-30)} | ${following.slice(0, 30)}…`;
    if (NEVER_SPLIT_AFTER.test(sentence)) problems.push(`split after an abbreviation: ${at}`);
    if (SPLIT_ONLY_BEFORE_CAPITAL.test(sentence) && !/^\p{Lu}/u.test(following)) problems.push(`split before a lowercase word: ${at}`);
  }
  return problems;
}

function corpora(): Array<[string, GoldDoc[]]> {
  return [
    ...['CDR_TrainingSet', 'CDR_DevelopmentSet', 'CDR_TestSet'].map((name): [string, GoldDoc[]] => [
      name,
      readPubTator(sharedPath('bc5cdr-pubtator', `${name}.PubTator.txt`)),
    ]),
    ...['train', 'test'].map((split): [string, GoldDoc[]] => [`jnlpba-${split}`, readStandoffTexts(sharedPath('jnlpba-standoff', split))]),
  ];
}

sharedTest('every BC5CDR and JNLPBA abstract: spans exact and complete, no split at an abbreviation', (t) => {
  let passages = 0;
  let sentences = 0;
  const problems: string[] = [];
  for (const [name, docs] of corpora()) {
    for (const doc of docs) {
      passages++;
      sentences += segmentSentences(doc.text).length;
      for (const p of abbreviationProblems(doc.text)) problems.push(`${name} ${doc.id}: ${p}`);
    }
  }
  t.log(`${passages} documents, ${sentences} sentences`);
  t.true(passages > 3000);
  t.deepEqual(problems.slice(0, 20), []);
});

/** Score the segmenter against a token file's sentences aligned onto the raw texts. */
function score(docs: GoldDoc[], conll: string): { score: BoundaryScore; documents: number; partial: number } {
  const alignment = alignGoldSentences(docs, readConllSentences(conll));
  const score: BoundaryScore = { tp: 0, fp: 0, fn: 0, precision: 0, recall: 0 };
  for (const doc of docs) {
    const gold = alignment.spans.get(doc.id);
    if (gold) scoreBoundaries(doc.text, gold, segmentSentences(doc.text), score);
  }
  return { score, documents: alignment.spans.size, partial: alignment.partial };
}

function describe(r: { score: BoundaryScore; documents: number; partial: number }): string {
  const { tp, fp, fn, precision, recall } = r.score;
  return `${r.documents} documents (${r.partial} only partly aligned, left out): P=${precision.toFixed(4)} R=${recall.toFixed(4)} (tp=${tp} fp=${fp} fn=${fn})`;
}

sharedTest('boundary precision/recall against GENIA manual sentences (JNLPBA test)', (t) => {
  const r = score(readStandoffTexts(sharedPath('jnlpba-standoff', 'test')), sharedPath('jnlpba', 'mtl-iob', 'test.tsv'));
  t.log(describe(r));
  t.true(r.documents >= 300);
  t.true(r.score.precision >= 0.995, describe(r));
  t.true(r.score.recall >= 0.995, describe(r));
});

sharedTest('boundary precision/recall against the BC5CDR test-set sentence split', (t) => {
  const r = score(
    readPubTator(sharedPath('bc5cdr-pubtator', 'CDR_TestSet.PubTator.txt')),
    sharedPath('bc5cdr-chem', 'mtl-iob', 'test.tsv'),
  );
  t.log(describe(r));
  t.true(r.documents >= 450);
  // That split is itself automatic (it breaks "Dec. 1, 1999" and misses glued sentences), so a
  // little lower bar than for GENIA.
  t.true(r.score.precision >= 0.99, describe(r));
  t.true(r.score.recall >= 0.99, describe(r));
});
