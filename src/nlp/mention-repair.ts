/**
 * Whole mentions out of word-level labels. The NER model labels the words BERT's basic tokenizer
 * makes, in which every punctuation mark is a word of its own, so a mention can stop on the hyphen
 * of "miR-1270" ("miR-"), start on a stray bracket, or be a bare number. Per mention:
 *  1. a hyphen or slash at its edge that joins it to a short or digit-bearing word ("miR-" + "1270",
 *     "IL-" + "6", "HLA-" + "DR", "TNF-" + "α") takes that word in;
 *  2. leading and trailing punctuation is trimmed: hyphens, slashes, commas, full stops, colons,
 *     quotes, brackets that do not close inside the mention, and a bracketed group glued to the
 *     word before the mention ("CD25(+) regulatory T cells" labelled from "(+)"); a bracket left open
 *     or closed inside takes in its partner when that is the next character out ("CaCl(2" → "CaCl(2)",
 *     "R)-alpha-methylhistamine" → "(R)-…"), else the mention is cut at it; brackets around the
 *     whole mention go ("(CDDP)" → "CDDP");
 *  3. what has no letter left (numbers, punctuation) is dropped;
 *  4. mentions that now overlap are resolved: one type merges into one mention, two types keep the
 *     more confident.
 *
 *   repairMentions('miR-1270 binds', [{ start: 0, end: 4, type: 'Gene', score: 0.9 }])  // [{ start: 0, end: 8, … }]
 */
import type { SentenceMention } from './annotator.js';

const CONNECTORS = new Set(['-', '‐', '‑', '/']);
const EDGE_PUNCTUATION = new Set([...CONNECTORS, '–', '—', ',', '.', ';', ':', '!', '?', '"', "'", '“', '”', '‘', '’', '`', '*', '=']);
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const WORD_CHAR = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;

/** Whether a word beside a connector belongs to the mention: it has a digit or is at most 2 characters. */
function joins(word: string): boolean {
  return word.length > 0 && (DIGIT.test(word) || word.length <= 2);
}

function wordEndAt(text: string, from: number): number {
  let i = from;
  while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
  return i;
}

function wordStartBefore(text: string, to: number): number {
  let i = to;
  while (i > 0 && WORD_CHAR.test(text[i - 1]!)) i--;
  return i;
}

/** Step 1: take in the word a connector at either edge joins the mention to. */
function extendAcrossConnectors(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  if (e > s && e < text.length && CONNECTORS.has(text[e - 1]!) && WORD_CHAR.test(text[e]!)) {
    const after = wordEndAt(text, e);
    if (joins(text.slice(e, after))) e = after;
  }
  if (e > s && s > 0 && CONNECTORS.has(text[s]!) && WORD_CHAR.test(text[s - 1]!)) {
    const body = text.slice(s + 1, wordEndAt(text, s + 1));
    if (joins(body)) s = wordStartBefore(text, s);
  }
  return [s, e];
}

/** The index after the bracket group opening at `s` (its matching closer) within [s, e); -1 if it does not close. */
function groupEnd(text: string, s: number, e: number): number {
  const open = text[s]!;
  const close = OPENERS[open]!;
  let depth = 0;
  for (let i = s; i < e; i++) {
    if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return i + 1;
  }
  return -1;
}

/** The first bracket in [s, e) without a partner inside the range, or -1. */
function unpairedBracket(text: string, s: number, e: number): number {
  const open: number[] = [];
  for (let i = s; i < e; i++) {
    const ch = text[i]!;
    if (ch in OPENERS) open.push(i);
    else if (ch in CLOSERS) {
      const j = open.at(-1);
      if (j === undefined || text[j] !== CLOSERS[ch]) return i;
      open.pop();
    }
  }
  return open[0] ?? -1;
}

/** A bracket without its partner inside: take in the partner beside the mention, else cut there. */
function pairBrackets(text: string, s: number, e: number): [number, number] {
  const k = unpairedBracket(text, s, e);
  if (k < 0) return [s, e];
  const ch = text[k]!;
  if (ch in OPENERS) return text[e] === OPENERS[ch] ? [s, e + 1] : k === s ? [s + 1, e] : [s, k];
  return s > 0 && text[s - 1] === CLOSERS[ch] ? [s - 1, e] : k === e - 1 ? [s, e - 1] : [k + 1, e];
}

/** Step 2: trim edge punctuation and unbalanced brackets until the edges are stable. */
function trimEdges(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (e > s) {
    const first = text[s]!;
    const last = text[e - 1]!;
    if (/\s/.test(first) || EDGE_PUNCTUATION.has(first)) s++;
    else if (/\s/.test(last) || EDGE_PUNCTUATION.has(last)) e--;
    else if (first in OPENERS && groupEnd(text, s, e) === e) {
      // "(CDDP)": the brackets around the whole mention are not part of it.
      s++;
      e--;
    } else if (first in OPENERS && s > 0 && WORD_CHAR.test(text[s - 1]!) && groupEnd(text, s, e) > 0) {
      s = groupEnd(text, s, e); // "(+) regulatory T cells" of "CD25(+) regulatory T cells"
    } else {
      const [ps, pe] = pairBrackets(text, s, e);
      if (ps === s && pe === e) break;
      [s, e] = [ps, pe];
    }
  }
  return [s, e];
}

/** Step 4: overlapping mentions, sorted by start: one type merges, two types keep the more confident. */
function resolveOverlaps(mentions: SentenceMention[]): SentenceMention[] {
  const out: SentenceMention[] = [];
  for (const m of [...mentions].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const prev = out.at(-1);
    if (!prev || m.start >= prev.end) out.push(m);
    else if (prev.type === m.type) {
      prev.end = Math.max(prev.end, m.end);
      prev.score = Math.max(prev.score, m.score);
    } else if (m.score > prev.score) out[out.length - 1] = m;
  }
  return out;
}

/** The mentions of one sentence with whole-word, punctuation-free edges; offsets stay in `text`. */
export function repairMentions(text: string, mentions: readonly SentenceMention[]): SentenceMention[] {
  const repaired: SentenceMention[] = [];
  for (const m of mentions) {
    let [s, e] = extendAcrossConnectors(text, m.start, m.end);
    [s, e] = trimEdges(text, s, e);
    if (e > s && LETTER.test(text.slice(s, e))) repaired.push({ ...m, start: s, end: e });
  }
  return resolveOverlaps(repaired);
}
