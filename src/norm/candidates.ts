/**
 * Candidate concepts for one mention, from the dictionary, in sieves: the corpus lexicon (names an
 * annotated training corpus gave this type, when the dictionary has one), the exact key, the
 * word-order-free key, spelling and word-form variants, then approximate matches (the longest run of
 * the mention's words that is a name, the head word last). Each candidate says how it matched; the
 * ranker turns that into a score. LINNAEUS's stop list removes taxa a surface text never means.
 *
 *   candidates(dict, 'cisplatin-induced nephrotoxicity', TYPE.Disease)  // [{ concept: Nephrotoxicity?…, stage: 3, coverage: 0.5 }]
 */
import type { Concept, Dictionary } from '../vocab/dictionary.js';
import { TYPE } from '../vocab/vocab-concept.js';
import { bagKey, exactKey, tokens } from './normalize-string.js';
import { editDistance } from './edit-distance.js';
import { variants } from './variants.js';

export const STAGE = { exact: 0, bag: 1, variant: 2, partial: 3, lexicon: 4 } as const;

export interface Candidate {
  concept: Concept;
  /** NAME_KIND bits of the name that matched. */
  kind: number;
  stage: number;
  /** Share of the mention's words the matched name covers (1 unless partial); for the lexicon, the share of its votes. */
  coverage: number;
}

/** The corpus lexicon's answer for one type bit: every concept it saw for the first key it knows, by share of votes. */
export function lexiconCandidates(dict: Dictionary, keys: string[], type: number): Candidate[] {
  for (const key of keys) {
    const hits = dict.lexicon(key, type);
    if (hits.length === 0) continue;
    const total = hits.reduce((n, h) => n + h.count, 0);
    return hits.map((h) => ({ concept: h.concept, kind: 0, stage: STAGE.lexicon, coverage: h.count / total }));
  }
  return [];
}

/**
 * The sieves for one type bit, the corpus lexicon consulted before the dictionary at each: where
 * annotators named a text, their votes decide (stage `lexicon`, coverage = share of votes).
 */
export function sieve(dict: Dictionary, text: string, type: number): Candidate[] {
  const exact = exactKey(text);
  const lexicon = lexiconCandidates(dict, [exact], type);
  if (lexicon.length > 0) return lexicon;
  return candidates(dict, text, type, (keys) => lexiconCandidates(dict, keys, type));
}

function collect(dict: Dictionary, keys: string[], types: number, stage: number, coverage: number, text: string): Candidate[] {
  const seen = new Map<number, Candidate>();
  for (const key of keys)
    for (const hit of dict.lookup(key, types)) {
      if (types & TYPE.Species && dict.stopped(hit.concept.cid, text)) continue;
      const prev = seen.get(hit.concept.cid);
      if (!prev || hit.kind < prev.kind) seen.set(hit.concept.cid, { concept: hit.concept, kind: hit.kind, stage, coverage });
    }
  return [...seen.values()];
}

type Lexicon = (keys: string[]) => Candidate[];
const noLexicon: Lexicon = () => [];

/**
 * Diseases and chemicals are MeSH's: a sieve that finds only OMIM or MONDO concepts is kept as the
 * fallback while later sieves look for a MeSH one.
 */
const hasMesh = (cs: Candidate[]) => cs.some((c) => c.concept.id.startsWith('MESH:'));

export function candidates(dict: Dictionary, text: string, types: number, lexicon: Lexicon = noLexicon): Candidate[] {
  let fallback: Candidate[] = [];
  const accept = (cs: Candidate[]): boolean => {
    if (cs.length === 0) return false;
    if (hasMesh(cs) || (types & (TYPE.Disease | TYPE.Chemical)) === 0) return true;
    if (fallback.length === 0) fallback = cs;
    return false;
  };
  const exact = collect(dict, [exactKey(text)], types, STAGE.exact, 1, text);
  if (accept(exact)) return exact;
  const bagKeys = [bagKey(text)];
  const bag = lexicon(bagKeys);
  if (accept(bag)) return bag;
  const bagged = collect(dict, bagKeys, types, STAGE.bag, 1, text);
  if (accept(bagged)) return bagged;
  const vs = variants(text);
  const variantKeys = [...vs.map(exactKey), ...vs.map(bagKey)];
  const lexVariant = lexicon(variantKeys);
  if (accept(lexVariant)) return lexVariant;
  const variant = collect(dict, variantKeys, types, STAGE.variant, 1, text);
  if (accept(variant)) return variant;
  const near = approximate(dict, text, types);
  if (accept(near)) return near;
  if (fallback.length > 0) return fallback;
  return partial(dict, text, types, lexicon);
}

/**
 * Misspellings ("tobramicyn", "5 flourouracil"): names sharing the key's first four characters and
 * within one edit (two from ten characters on), found by a range scan of the key index. Scored as a
 * variant whose coverage falls with the distance.
 */
function approximate(dict: Dictionary, text: string, types: number): Candidate[] {
  if ((types & (TYPE.Disease | TYPE.Chemical)) === 0) return [];
  const key = exactKey(text);
  if (key.length < 6) return [];
  const max = key.length >= 10 ? 2 : 1;
  const best = new Map<number, Candidate>();
  let bestDistance = max + 1;
  for (const hit of dict.keysNear(key.slice(0, 4), key.length - max, key.length + max, types)) {
    if (hit.kind & 4) continue; // word-order-free keys are not spellings
    const d = editDistance(key, hit.key, max);
    if (d > max || d > bestDistance) continue;
    if (d < bestDistance) {
      best.clear();
      bestDistance = d;
    }
    const prev = best.get(hit.concept.cid);
    if (!prev || hit.kind < prev.kind)
      best.set(hit.concept.cid, { concept: hit.concept, kind: hit.kind, stage: STAGE.variant, coverage: 1 - d / key.length });
  }
  return [...best.values()];
}

/** The longest contiguous run of words that is a name (ties: the rightmost, where English puts the head). */
function partial(dict: Dictionary, text: string, types: number, lexicon: Lexicon): Candidate[] {
  const words = tokens(text);
  if (words.length < 2) return [];
  for (let len = words.length - 1; len >= 1; len--) {
    for (let start = words.length - len; start >= 0; start--) {
      const run = words.slice(start, start + len).join(' ');
      if (len === 1 && run.length < 4) continue;
      const keys = [run, ...variants(run).map(exactKey)];
      const lex = lexicon(keys);
      if (lex.length > 0) return lex.map((c) => ({ ...c, coverage: (c.coverage * len) / words.length }));
      const found = collect(dict, keys, types, STAGE.partial, len / words.length, text);
      if (found.length > 0) return found;
    }
  }
  return [];
}
