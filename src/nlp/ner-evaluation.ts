/**
 * NER evaluation with BioBERT's conventions: CoNLL files of words and B/I/O tags, entity-level
 * exact match over words (conlleval chunks), a word predicted by its FIRST sub-token, each word
 * tokenised on its own and sentences cut at word boundaries into 128-token inputs — the same as
 * models/train/eval_ner.py, so the figures agree with the Python ones.
 *
 *   const r = await evaluateNer(classifier, readConll(text), { types: new Set(['Disease']) });  // r.f1
 */
import { argmaxRow } from './decode-bio.js';
import type { TokenClassifier } from './token-classifier.js';

export interface ConllSentence {
  words: string[];
  labels: string[];
}

/** Word and tag per line (tab- or space-separated, tag last); blank lines end sentences. */
export function readConll(text: string): ConllSentence[] {
  const out: ConllSentence[] = [];
  let cur: ConllSentence = { words: [], labels: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      if (cur.words.length) out.push(cur);
      cur = { words: [], labels: [] };
      continue;
    }
    let parts = line.split('\t');
    if (parts.length < 2) parts = line.trim().split(/\s+/);
    cur.words.push(parts[0]!);
    cur.labels.push(parts.at(-1)!);
  }
  if (cur.words.length) out.push(cur);
  return out;
}

/** Corpus type names → the model's (JNLPBA's protein/DNA/RNA are genes, as in training). */
const TYPE_ALIASES: Record<string, string> = {
  gene: 'Gene',
  protein: 'Gene',
  dna: 'Gene',
  rna: 'Gene',
  gene_or_gene_product: 'Gene',
  chemical: 'Chemical',
  disease: 'Disease',
  species: 'Species',
  cell_line: 'CellLine',
  cellline: 'CellLine',
  cell_type: 'CellType',
  celltype: 'CellType',
};

export function canonicalType(type: string): string {
  return TYPE_ALIASES[type.toLowerCase()] ?? type;
}

/**
 * conlleval chunks as "start:end:type" strings: a chunk starts at B, at an I after O, or at an I
 * of another type; it ends at O, B, or a type change.
 */
export function conllChunks(tags: readonly string[]): Set<string> {
  const out = new Set<string>();
  let start = -1;
  let type = '';
  const close = (end: number) => {
    if (start >= 0) out.add(`${start}:${end}:${type}`);
    start = -1;
  };
  tags.forEach((tag, i) => {
    if (tag === 'O') {
      close(i);
      return;
    }
    const prefix = tag[0];
    const t = tag.length > 2 ? tag.slice(2) : '';
    if (prefix === 'B' || start < 0 || t !== type) {
      close(i);
      start = i;
      type = t;
    }
  });
  close(tags.length);
  return out;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export function prf(tp: number, fp: number, fn: number): Scores {
  const p = tp + fp ? tp / (tp + fp) : 0;
  const r = tp + fn ? tp / (tp + fn) : 0;
  const f = p + r ? (2 * p * r) / (p + r) : 0;
  const pct = (x: number) => Math.round(x * 10000) / 100;
  return { precision: pct(p), recall: pct(r), f1: pct(f), tp, fp, fn };
}

export interface NerEvalOptions {
  /**
   * Untyped gold (plain B/I/O): the model types whose predictions count, merged into one class.
   * Typed gold: ignored (types are compared).
   */
  types?: ReadonlySet<string>;
  /** Tokens per input, specials included (eval_ner.py uses 128). */
  maxLength?: number;
  onProgress?: (sentences: number) => void;
}

export interface NerEvalResult extends Scores {
  sentences: number;
  typed: boolean;
}

/** Token ids of a sentence's words, cut at word boundaries; `first[k]` = word of token k if first piece, else -1. */
function wordChunks(classifier: TokenClassifier, words: readonly string[], budget: number, cache: Map<string, number[]>) {
  const tok = classifier.folder.tokenizer;
  const pieces = words.map((w) => {
    let ids = cache.get(w);
    if (!ids) {
      ids = tok.encode(w, { addSpecialTokens: false }).ids;
      if (ids.length === 0) ids = [tok.specials.unk];
      cache.set(w, ids);
    }
    return ids.slice(0, budget);
  });
  const chunks: { ids: number[]; first: number[] }[] = [];
  let cur = { ids: [] as number[], first: [] as number[] };
  pieces.forEach((ids, wi) => {
    if (cur.ids.length + ids.length > budget && cur.ids.length) {
      chunks.push(cur);
      cur = { ids: [], first: [] };
    }
    ids.forEach((id, k) => {
      cur.ids.push(id);
      cur.first.push(k === 0 ? wi : -1);
    });
  });
  if (cur.ids.length) chunks.push(cur);
  return chunks;
}

export async function evaluateNer(
  classifier: TokenClassifier,
  sentences: readonly ConllSentence[],
  options: NerEvalOptions = {},
): Promise<NerEvalResult> {
  const labels = classifier.folder.labels;
  const width = labels.length;
  const typed = sentences.some((s) => s.labels.some((l) => /^[BI]-/.test(l)));
  const budget = (options.maxLength ?? 128) - 2;
  const cache = new Map<string, number[]>();
  const items: { sentence: number; ids: number[]; first: number[] }[] = [];
  sentences.forEach((s, i) => {
    for (const c of wordChunks(classifier, s.words, budget, cache)) items.push({ sentence: i, ...c });
  });
  const pred = sentences.map((s) => s.words.map(() => 'O'));
  // In slices, so progress shows and memory stays bounded on big files.
  const slice = 512;
  for (let at = 0; at < items.length; at += slice) {
    const part = items.slice(at, at + slice);
    const logits = await classifier.logits(part.map((p) => p.ids));
    part.forEach((item, k) => {
      item.first.forEach((wi, t) => {
        if (wi < 0) return;
        const label = labels[argmaxRow(logits[k]!, t, width)]!;
        if (label === 'O') return;
        const type = label.replace(/^[BIES]-/, '');
        const prefix = label[0] === 'B' || label[0] === 'S' ? 'B' : 'I';
        if (typed) pred[item.sentence]![wi] = `${prefix}-${type}`;
        else if (!options.types || options.types.has(type)) pred[item.sentence]![wi] = prefix;
      });
    });
    // A sentence counts as done with its last chunk.
    options.onProgress?.(part.filter((p, k) => (part[k + 1] ?? items[at + slice])?.sentence !== p.sentence).length);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  sentences.forEach((s, i) => {
    const gold = s.labels.map((l) => (l === 'O' ? 'O' : typed ? `${l[0]}-${canonicalType(l.slice(2))}` : l[0]!));
    const g = conllChunks(gold);
    const p = conllChunks(pred[i]!);
    for (const c of p) g.has(c) ? tp++ : fp++;
    for (const c of g) if (!p.has(c)) fn++;
  });
  return { ...prf(tp, fp, fn), sentences: sentences.length, typed };
}
