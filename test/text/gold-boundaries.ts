/**
 * Gold sentence boundaries for the shared-data tier: aligns a CoNLL token file (one sentence per
 * block, no document marks) onto the documents' raw texts by their non-whitespace characters, so
 * each gold sentence gets exact character offsets in the text the segmenter sees.
 *
 *   const gold = alignGoldSentences(docs, readConllSentences(file)); // Map<doc id, SentenceSpan[]>
 */
import { readFileSync } from 'node:fs';
import type { SentenceSpan } from '../../src/text/segment-sentences.js';

export interface GoldDoc {
  id: string;
  text: string;
}

export interface GoldAlignment {
  /** Gold sentences of every document whose whole text the sentences cover, in order. */
  spans: Map<string, SentenceSpan[]>;
  /** Documents only partly covered (a sentence missing from or re-worded in the token file). */
  partial: number;
  unaligned: number;
  total: number;
}

/** Each blank-line separated block of a `TOKEN<TAB>LABEL` file, as its list of tokens. */
export function readConllSentences(file: string): string[][] {
  const sentences: string[][] = [];
  let current: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const token = line.split('\t')[0]!.trim();
    if (token === '') {
      if (current.length > 0) sentences.push(current);
      current = [];
    } else current.push(token);
  }
  if (current.length > 0) sentences.push(current);
  return sentences;
}

interface CompactDoc {
  id: string;
  compact: string; // the text without whitespace
  offsets: number[]; // offsets[k] = position in text of compact[k]
}

function compactDoc(doc: GoldDoc): CompactDoc {
  let compact = '';
  const offsets: number[] = [];
  for (let k = 0; k < doc.text.length; k++) {
    if (/\s/.test(doc.text[k]!)) continue;
    compact += doc.text[k];
    offsets.push(k);
  }
  return { id: doc.id, compact, offsets };
}

const KEY = 12;

/**
 * Walks the sentences in file order: each continues the current document where it matches there,
 * else starts a document whose text begins with it. Sentences that match nowhere are counted.
 */
export function alignGoldSentences(docs: GoldDoc[], sentences: string[][]): GoldAlignment {
  const byPrefix = new Map<string, CompactDoc[]>();
  for (const doc of docs) {
    const c = compactDoc(doc);
    const key = c.compact.slice(0, KEY);
    byPrefix.set(key, [...(byPrefix.get(key) ?? []), c]);
  }
  const spans = new Map<string, SentenceSpan[]>();
  const covered = new Map<string, number>();
  const compactLength = new Map<string, number>();
  let current: CompactDoc | undefined;
  let pos = 0;
  let unaligned = 0;
  for (const tokens of sentences) {
    const s = tokens.join('');
    if (!current?.compact.startsWith(s, pos)) {
      const candidates = byPrefix.get(s.slice(0, KEY)) ?? [];
      current = candidates.find((c) => c.compact.startsWith(s) && !spans.has(c.id));
      pos = 0;
      if (!current) {
        unaligned++;
        continue;
      }
      spans.set(current.id, []);
    }
    spans.get(current.id)!.push({ start: current.offsets[pos]!, end: current.offsets[pos + s.length - 1]! + 1 });
    pos += s.length;
    covered.set(current.id, pos);
    compactLength.set(current.id, current.compact.length);
  }
  let partial = 0;
  for (const id of [...spans.keys()]) {
    if (covered.get(id) !== compactLength.get(id)) {
      spans.delete(id);
      partial++;
    }
  }
  return { spans, partial, unaligned, total: sentences.length };
}

export interface BoundaryScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

/**
 * Boundary precision/recall over sentence ends inside a line, the decisions that are hard: ends
 * at a line break (title, label lines) and at the end of the text are left out, and a bare list
 * marker ("1.", which GENIA and the BC5CDR splitter keep as a sentence of its own) counts as part of
 * the sentence after it, as segmentSentences keeps it.
 */
export function scoreBoundaries(text: string, gold: SentenceSpan[], predicted: SentenceSpan[], into: BoundaryScore): void {
  const ends = (spans: SentenceSpan[]) =>
    new Set(
      spans
        .filter((s) => !/^\(?(?:\d{1,2}|[A-Za-z]|[ivx]{1,4})\)?\.$/.test(text.slice(s.start, s.end)))
        .map((s) => s.end)
        .filter((end) => /^[^\S\n\r]*\S/.test(text.slice(end, end + 20))),
    );
  const g = ends(gold);
  const p = ends(predicted);
  for (const end of p) {
    if (g.has(end)) into.tp++;
    else into.fp++;
  }
  for (const end of g) if (!p.has(end)) into.fn++;
  into.precision = into.tp / (into.tp + into.fp);
  into.recall = into.tp / (into.tp + into.fn);
}
