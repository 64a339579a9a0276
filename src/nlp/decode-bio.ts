/**
 * NER decoding as small pure functions: token logits → word labels (a word takes its FIRST
 * sub-token's label, BioBERT's convention) → BIO/IOB2 mentions → character spans in the original
 * sentence. A mention's score is the mean, over all sub-tokens of its words, of each token's
 * highest softmax probability.
 *
 *   bioSpans(['B-Gene', 'I-Gene', 'O', 'I-Disease'])  // [{type:'Gene',start:0,end:2},{type:'Disease',start:3,end:4}]
 */
import type { SentenceMention } from './annotator.js';
import type { Encoding } from './tokenizer/encoding.js';

/** Row-wise softmax of a [rows × width] array. */
export function softmaxRows(logits: Float32Array, width: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / width; r++) {
    let max = -Infinity;
    for (let k = 0; k < width; k++) max = Math.max(max, logits[r * width + k]!);
    let sum = 0;
    for (let k = 0; k < width; k++) {
      const e = Math.exp(logits[r * width + k]! - max);
      out[r * width + k] = e;
      sum += e;
    }
    for (let k = 0; k < width; k++) out[r * width + k]! /= sum;
  }
  return out;
}

export function argmaxRow(values: Float32Array, row: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[row * width + k]! > values[row * width + best]!) best = k;
  return best;
}

/** A run of words [start, end) forming one mention. */
export interface WordSpan {
  type: string;
  start: number;
  end: number;
}

/**
 * IOB2 labels → spans. B-X opens; I-X continues an open X, and otherwise (after O or another
 * type) opens a new mention; O closes. Unprefixed labels other than O count as I-.
 */
export function bioSpans(labels: readonly string[]): WordSpan[] {
  const out: WordSpan[] = [];
  let open: WordSpan | null = null;
  labels.forEach((label, i) => {
    if (label === 'O' || label === '') {
      open = null;
      return;
    }
    const m = /^([BIES])-(.+)$/.exec(label);
    const prefix = m ? m[1] : 'I';
    const type = m ? m[2]! : label;
    if (prefix === 'I' && open && open.type === type) {
      open.end = i + 1;
      return;
    }
    open = { type, start: i, end: i + 1 };
    out.push(open);
    // An E- or S- tag (IOBES exports) ends the mention it is in.
    if (prefix === 'E' || prefix === 'S') open = null;
  });
  return out;
}

/** The entity types a label set names: "B-Gene", "I-Gene" → "Gene"; O is none. */
export function entityTypes(labels: readonly string[]): Set<string> {
  return new Set(labels.filter((l) => l !== 'O').map((l) => l.replace(/^[BIES]-/, '')));
}

/** Per word of the encoding: the label of its first sub-token and the indices of all its tokens. */
export function wordLabels(enc: Encoding, probs: Float32Array, labels: readonly string[]): { label: string; tokens: number[] }[] {
  const width = labels.length;
  const words = enc.words.map(() => ({ label: 'O', tokens: [] as number[] }));
  enc.wordIds.forEach((w, t) => {
    if (w === null) return;
    const word = words[w]!;
    if (word.tokens.length === 0) word.label = labels[argmaxRow(probs, t, width)]!;
    word.tokens.push(t);
  });
  return words;
}

export interface DecodeOptions {
  /** Keep only these types (others read as O before decoding). */
  types?: ReadonlySet<string>;
}

/** Mentions with UTF-16 offsets into the original sentence, from per-token logits of `enc` (no specials). */
export function decodeBio(enc: Encoding, logits: Float32Array, labels: readonly string[], options: DecodeOptions = {}): SentenceMention[] {
  const width = labels.length;
  const probs = softmaxRows(logits, width);
  const words = wordLabels(enc, probs, labels);
  const tags = words.map((w) => {
    if (!options.types || w.label === 'O') return w.label;
    const type = w.label.replace(/^[BIES]-/, '');
    return options.types.has(type) ? w.label : 'O';
  });
  return bioSpans(tags).map((span) => {
    let sum = 0;
    let n = 0;
    for (let wi = span.start; wi < span.end; wi++) {
      for (const t of words[wi]!.tokens) {
        let max = 0;
        for (let k = 0; k < width; k++) max = Math.max(max, probs[t * width + k]!);
        sum += max;
        n++;
      }
    }
    return { start: enc.words[span.start]![0], end: enc.words[span.end - 1]![1], type: span.type, score: n ? sum / n : 0 };
  });
}
