/**
 * Relation-classification evaluation over the shared corpora's formats: BioBERT's GAD/EU-ADR
 * 10-fold TSVs (already masked with @GENE$/@DISEASE$; label 1 → "association") and SciBERT's
 * ChemProt JSONL (<< first >> and [[ second ]] marked; fine labels → CPR groups). Micro P/R/F1 over
 * the positive labels, the negative label excluded (BioBERT's convention).
 *
 *   const items = readReFile(path, text);  const r = await evaluateRe(classifier, items);
 */
import { basename } from 'node:path';
import { LitmineError } from '../errors.js';
import { prf, type Scores } from './ner-evaluation.js';
import type { RelationClassifier, RelationResult } from './relation-classifier.js';

export interface ReItem {
  /** The sentence with both arguments masked. */
  text: string;
  /** "SubjectType|ObjectType". */
  key: string;
  gold: string;
}

const CPR: Record<string, string> = {};
for (const [group, names] of Object.entries({
  'CPR:3': ['UPREGULATOR', 'ACTIVATOR', 'INDIRECT-UPREGULATOR'],
  'CPR:4': ['DOWNREGULATOR', 'INHIBITOR', 'INDIRECT-DOWNREGULATOR'],
  'CPR:5': ['AGONIST', 'AGONIST-ACTIVATOR', 'AGONIST-INHIBITOR'],
  'CPR:6': ['ANTAGONIST'],
  'CPR:9': ['SUBSTRATE', 'PRODUCT-OF', 'SUBSTRATE_PRODUCT-OF'],
})) {
  for (const n of names) CPR[n] = group;
}

/** GAD/EU-ADR: test.tsv has a header and (index, sentence, label); train.tsv has (sentence, label). */
export function readGadTsv(text: string, positive = 'association', negative = 'false'): ReItem[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const out: ReItem[] = [];
  for (const [i, line] of lines.entries()) {
    const p = line.replace(/\r$/, '').split('\t');
    if (i === 0 && p[0] === 'index') continue;
    const [sentence, label] = p.length >= 3 ? [p[1]!, p[2]!] : [p[0]!, p[1]!];
    out.push({ text: sentence, key: 'Gene|Disease', gold: label.trim() === '1' ? positive : negative });
  }
  return out;
}

/** SciBERT ChemProt: the << >> argument is taken as the chemical, the [[ ]] one as the gene. */
export function readChemprotJsonl(text: string, masks = { Chemical: '@CHEMICAL$', Gene: '@GENE$' }): ReItem[] {
  const out: ReItem[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as { text: string; label: string };
    const masked = o.text.replace(/<< (.+?) >>/, () => masks.Chemical).replace(/\[\[ (.+?) \]\]/, () => masks.Gene);
    out.push({ text: masked, key: 'Chemical|Gene', gold: CPR[o.label] ?? 'false' });
  }
  return out;
}

/** `positive`: the model's label for a gene–disease association (GAD/EU-ADR's 1). */
export function readReFile(path: string, text: string, positive = 'association'): ReItem[] {
  if (path.endsWith('.jsonl')) return readChemprotJsonl(text);
  if (path.endsWith('.tsv')) return readGadTsv(text, positive);
  throw new LitmineError('LITMINE_USAGE', `${basename(path)}: unknown relation file format (expected .jsonl or .tsv)`);
}

export interface ReEvalResult extends Scores {
  instances: number;
  perLabel: Record<string, Scores>;
}

export async function evaluateRe(
  classifier: RelationClassifier,
  items: readonly ReItem[],
  onProgress?: (n: number) => void,
): Promise<ReEvalResult> {
  const negative = classifier.negativeLabel;
  const results: RelationResult[] = [];
  const slice = 256;
  for (let at = 0; at < items.length; at += slice) {
    const part = items.slice(at, at + slice);
    results.push(...(await classifier.classify(part.map((i) => ({ text: i.text, key: i.key })))));
    onProgress?.(part.length);
  }
  const counts: Record<string, { tp: number; fp: number; fn: number }> = {};
  const c = (l: string) => (counts[l] ??= { tp: 0, fp: 0, fn: 0 });
  items.forEach((item, i) => {
    const pred = results[i]!.label;
    if (pred === item.gold) {
      if (pred !== negative) c(pred).tp++;
      return;
    }
    if (pred !== negative) c(pred).fp++;
    if (item.gold !== negative) c(item.gold).fn++;
  });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const perLabel: Record<string, Scores> = {};
  for (const [label, k] of Object.entries(counts).sort()) {
    perLabel[label] = prf(k.tp, k.fp, k.fn);
    tp += k.tp;
    fp += k.fp;
    fn += k.fn;
  }
  return { ...prf(tp, fp, fn), instances: items.length, perLabel };
}
