/**
 * Relation-classification evaluation over the shared corpora's formats, with the instances
 * models/train/re_data.py builds (so the figures equal eval_re.py's on the same model):
 *   - BioBERT's GAD/EU-ADR 10-fold TSVs (.tsv; already masked with @GENE$/@DISEASE$; 1 → "association");
 *   - SciBERT's ChemProt JSONL (.jsonl; see re-corpora/chemprot.ts: arguments typed per sentence,
 *     unrelated chemical × gene pairs as "false"; fine labels → CPR groups);
 *   - BC5CDR CID PubTator files (.PubTator.txt / .pubtator; see re-corpora/cid.ts): mention-level
 *     instances, plus a document-level score over (PMID, chemical, disease) pairs predicted CID by
 *     any instance, against every CID pair of the file (cross-sentence ones included).
 * Micro P/R/F1 over the positive labels, the negative label excluded (BioBERT's convention; per
 * instance: tp when the prediction is positive and right, fp when positive and wrong, fn when the
 * gold is positive and not predicted).
 *
 *   const corpus = readReFile(path, text, { typed });  const r = await evaluateRe(classifier, corpus);
 */
import { basename } from 'node:path';
import { LitmineError } from '../errors.js';
import { prf, type Scores } from './ner-evaluation.js';
import { readCid } from './re-corpora/cid.js';
import { type TypedDictionary, readChemprotJsonl } from './re-corpora/chemprot.js';
import type { RelationClassifier, RelationResult } from './relation-classifier.js';

export { readChemprotJsonl } from './re-corpora/chemprot.js';

export interface ReItem {
  /** The sentence with both arguments masked. */
  text: string;
  /** "SubjectType|ObjectType". */
  key: string;
  gold: string;
  /** Document-level pair the instance stands for (BC5CDR CID: "pmid\tchemical\tdisease"). */
  doc?: string;
}

export type ReFormat = 'gad-tsv' | 'chemprot-jsonl' | 'bc5cdr-pubtator';

export interface ReCorpus {
  format: ReFormat;
  items: ReItem[];
  /** BC5CDR CID: every CID pair of the file, as ReItem.doc keys; the document-level gold. */
  documentGold?: ReadonlySet<string>;
}

/** The label whose document-level pairs are scored (eval_re.py: instances predicted "CID"). */
export const DOCUMENT_LABEL = 'CID';

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

/** The file's format, from its name. */
export function reFileFormat(path: string): ReFormat {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.pubtator.txt') || name.endsWith('.pubtator')) return 'bc5cdr-pubtator';
  if (name.endsWith('.jsonl')) return 'chemprot-jsonl';
  if (name.endsWith('.tsv')) return 'gad-tsv';
  throw new LitmineError(
    'LITMINE_USAGE',
    `${basename(path)}: unknown relation file format (expected .tsv, .jsonl, .PubTator.txt or .pubtator)`,
  );
}

export interface ReadReOptions {
  /** The model's label for a gene–disease association (GAD/EU-ADR's 1). */
  positive?: string;
  /** ChemProt argument typing (re-corpora/chemprot.ts loadTypedDictionary); heuristics only without. */
  typed?: TypedDictionary;
}

export function readReFile(path: string, text: string, options: ReadReOptions = {}): ReCorpus {
  const format = reFileFormat(path);
  if (format === 'bc5cdr-pubtator') return { format, ...readCid(text) };
  if (format === 'chemprot-jsonl') return { format, items: readChemprotJsonl(text, { typed: options.typed }) };
  return { format, items: readGadTsv(text, options.positive) };
}

export interface ReEvalResult extends Scores {
  instances: number;
  perLabel: Record<string, Scores>;
  /** BC5CDR CID: document-level pairs predicted CID by any instance vs every gold CID pair. */
  document?: Scores;
}

export async function evaluateRe(
  classifier: RelationClassifier,
  corpus: ReCorpus | readonly ReItem[],
  onProgress?: (n: number) => void,
): Promise<ReEvalResult> {
  const items = 'items' in corpus ? corpus.items : corpus;
  const results: RelationResult[] = [];
  const slice = 256;
  for (let at = 0; at < items.length; at += slice) {
    const part = items.slice(at, at + slice);
    results.push(...(await classifier.classify(part.map((i) => ({ text: i.text, key: i.key })))));
    onProgress?.(part.length);
  }
  const predicted = results.map((r) => r.label);
  return scoreRe(items, predicted, classifier.negativeLabel, 'items' in corpus ? corpus.documentGold : undefined);
}

/** The scores of predicted labels (one per item), as eval_re.py counts them. */
export function scoreRe(
  items: readonly ReItem[],
  predicted: readonly string[],
  negative = 'false',
  documentGold?: ReadonlySet<string>,
): ReEvalResult {
  const counts: Record<string, { tp: number; fp: number; fn: number }> = {};
  const c = (l: string) => (counts[l] ??= { tp: 0, fp: 0, fn: 0 });
  items.forEach((item, i) => {
    const pred = predicted[i]!;
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
  const result: ReEvalResult = { ...prf(tp, fp, fn), instances: items.length, perLabel };
  if (documentGold) {
    const docs = new Set<string>();
    items.forEach((item, i) => {
      if (item.doc !== undefined && predicted[i] === DOCUMENT_LABEL) docs.add(item.doc);
    });
    let hit = 0;
    for (const d of docs) if (documentGold.has(d)) hit++;
    result.document = prf(hit, docs.size - hit, documentGold.size - hit);
  }
  return result;
}
