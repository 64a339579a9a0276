/**
 * Relation-classification evaluation over instances built once, by models/train/re_data.py (the one
 * definition of how a corpus becomes instances; `python models/train/write_eval_instances.py` writes
 * them under models/build/re-eval/), so the figures equal eval_re.py's on the same model:
 *   - `.re-instances.jsonl`: a header line ({"format": "litmine.re-instances", "version": 1, corpus,
 *     "documentGold"?}) then one {"key", "text", "gold", "doc"?} a line — ChemProt, BC5CDR CID
 *     (with the document-level gold), GAD and EU-ADR;
 *   - BioBERT's GAD/EU-ADR 10-fold TSVs (.tsv) directly: they already are instances (masked with
 *     @GENE$/@DISEASE$; 1 → "association"), nothing is built from them.
 * Micro P/R/F1 over the positive labels, the negative label excluded (BioBERT's convention; per
 * instance: tp when the prediction is positive and right, fp when positive and wrong, fn when the
 * gold is positive and not predicted). For CID, also a document-level score over (PMID, chemical,
 * disease) pairs predicted CID by any instance, against every CID pair of the file.
 *
 *   const corpus = readReFile(path, text);  const r = await evaluateRe(classifier, corpus);
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
  /** Document-level pair the instance stands for (BC5CDR CID: "pmid\tchemical\tdisease"). */
  doc?: string;
}

export type ReFormat = 'gad-tsv' | 're-instances';

export interface ReCorpus {
  format: ReFormat;
  items: ReItem[];
  /** BC5CDR CID: every CID pair of the file, as ReItem.doc keys; the document-level gold. */
  documentGold?: ReadonlySet<string>;
}

/** The label whose document-level pairs are scored (eval_re.py: instances predicted "CID"). */
export const DOCUMENT_LABEL = 'CID';

export const RE_INSTANCES_FORMAT = 'litmine.re-instances';
const WRITER = 'python models/train/write_eval_instances.py';

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

/** The instances write_eval_instances.py wrote: header first, then one instance a line. */
export function readReInstances(text: string, name = 'instances'): Omit<ReCorpus, 'format'> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parse = (line: string, n: number): Record<string, unknown> => {
    try {
      const v = JSON.parse(line) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch (err) {
      throw new LitmineError('LITMINE_RECORD_INVALID', `${name}: line ${n}: not JSON (${(err as Error).message})`, { cause: err });
    }
    throw new LitmineError('LITMINE_RECORD_INVALID', `${name}: line ${n}: not a JSON object`);
  };
  const header = lines.length > 0 ? parse(lines[0]!, 1) : {};
  if (header.format !== RE_INSTANCES_FORMAT || header.version !== 1) {
    throw new LitmineError(
      'LITMINE_RECORD_INVALID',
      `${name}: line 1: not a ${RE_INSTANCES_FORMAT} v1 header (write the file with \`${WRITER}\`)`,
    );
  }
  const items = lines.slice(1).map((line, i): ReItem => {
    const o = parse(line, i + 2);
    const bad = ['key', 'text', 'gold'].filter((k) => typeof o[k] !== 'string');
    if (o.doc !== undefined && typeof o.doc !== 'string') bad.push('doc');
    if (bad.length > 0) throw new LitmineError('LITMINE_RECORD_INVALID', `${name}: line ${i + 2}: ${bad.join(', ')} must be strings`);
    const item: ReItem = { key: o.key as string, text: o.text as string, gold: o.gold as string };
    if (o.doc !== undefined) item.doc = o.doc as string;
    return item;
  });
  if (typeof header.instances === 'number' && header.instances !== items.length) {
    throw new LitmineError(
      'LITMINE_RECORD_INVALID',
      `${name}: the header promises ${header.instances} instances, the file has ${items.length}`,
    );
  }
  const gold = header.documentGold;
  if (gold !== undefined && !(Array.isArray(gold) && gold.every((g) => typeof g === 'string'))) {
    throw new LitmineError('LITMINE_RECORD_INVALID', `${name}: line 1: documentGold must be a list of "pmid\tchemical\tdisease" strings`);
  }
  return gold === undefined ? { items } : { items, documentGold: new Set(gold as string[]) };
}

/** The file's format, from its name; raw ChemProt and PubTator files are turned into instances by Python first. */
export function reFileFormat(path: string): ReFormat {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.re-instances.jsonl')) return 're-instances';
  if (name.endsWith('.tsv')) return 'gad-tsv';
  if (name.endsWith('.pubtator.txt') || name.endsWith('.pubtator') || name.endsWith('.jsonl')) {
    throw new LitmineError(
      'LITMINE_USAGE',
      `${basename(path)}: raw ChemProt and BC5CDR files are not read directly; \`${WRITER}\` builds their instances (models/build/re-eval/*.re-instances.jsonl) — pass that file`,
    );
  }
  throw new LitmineError('LITMINE_USAGE', `${basename(path)}: unknown relation file format (expected .re-instances.jsonl or .tsv)`);
}

export interface ReadReOptions {
  /** The model's label for a gene–disease association (GAD/EU-ADR's 1). */
  positive?: string;
}

export function readReFile(path: string, text: string, options: ReadReOptions = {}): ReCorpus {
  const format = reFileFormat(path);
  if (format === 're-instances') return { format, ...readReInstances(text, basename(path)) };
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
