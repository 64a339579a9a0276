/**
 * Abbreviation definitions in running text, after Schwartz & Hearst (PSB 2003): in "long form (SF)"
 * the short form's letters are found right to left in the words before the parenthesis, its first
 * letter at the start of a word, within min(|SF| + 5, 2·|SF|) words; the shortest such long form wins.
 * "SF (long form)" is tried when the parenthesis holds more words than an abbreviation does. Before
 * that search, an initials match is tried ("thrombotic thrombocytopenic purpura (TTP)": one word per
 * letter, function words skipped), which the character search alone cuts short at "thrombocytopenic".
 *
 *   findAbbreviations('thrombotic thrombocytopenic purpura (TTP) is rare')
 *   // [{ short: 'TTP', shortStart: 37, shortEnd: 40, long: 'thrombotic thrombocytopenic purpura', longStart: 0, longEnd: 35 }]
 */
import { escapeRegExp } from './escape-regexp.js';

export interface Abbreviation {
  short: string;
  shortStart: number;
  shortEnd: number;
  long: string;
  longStart: number;
  longEnd: number;
}

/** Schwartz & Hearst's test of a short-form candidate: 2–10 characters, a letter, a leading letter or digit. */
export function isShortForm(s: string): boolean {
  if (s.length < 2 || s.length > 10) return false;
  if (!/\p{L}/u.test(s) || !/^[\p{L}\p{N}]/u.test(s)) return false;
  return s.split(/\s+/).length <= 2;
}

/** The start offset in `long` of the best long form for `short`, or -1 (the algorithm's core loop). */
export function matchLongForm(short: string, long: string): number {
  let s = short.length - 1;
  let l = long.length - 1;
  while (s >= 0) {
    const c = short[s]!.toLowerCase();
    if (!/[\p{L}\p{N}]/u.test(c)) {
      s--;
      continue;
    }
    // The first character of the short form must begin a word of the long form.
    while (l >= 0 && (long[l]!.toLowerCase() !== c || (s === 0 && l > 0 && /[\p{L}\p{N}]/u.test(long[l - 1]!)))) l--;
    if (l < 0) return -1;
    l--;
    s--;
  }
  return Math.max(0, long.lastIndexOf(' ', l) + 1);
}

const SKIPPED = new Set(['of', 'the', 'and', 'in', 'with', 'for', 'to', 'on', 'by', 'a', 'an']);

/** Start in `long` of the last words whose initials spell the short form's letters, or -1. */
export function matchInitials(short: string, long: string): number {
  const letters = short.toLowerCase().replace(/[^\p{L}]/gu, '');
  if (letters.length < 2) return -1;
  const words = [...long.matchAll(/[\p{L}\p{N}]+/gu)];
  let k = letters.length - 1;
  for (let w = words.length - 1; w >= 0; w--) {
    const word = words[w]![0].toLowerCase();
    if (/^\p{N}+$/u.test(word)) continue;
    if (word[0] !== letters[k]) {
      if (SKIPPED.has(word)) continue;
      return -1;
    }
    if (k-- === 0) return words[w]!.index ?? -1;
  }
  return -1;
}

function longFormStart(short: string, window: string): number {
  const initials = matchInitials(short, window);
  return initials >= 0 ? initials : matchLongForm(short, window);
}

function lastWords(text: string, end: number, n: number): number {
  // Offset where the last n words before `end` begin (never across a sentence end).
  let start = end;
  let count = 0;
  let i = end - 1;
  while (i >= 0 && count < n) {
    while (i >= 0 && /\s/.test(text[i]!)) i--;
    if (i < 0) break;
    let j = i;
    while (j >= 0 && !/\s/.test(text[j]!)) j--;
    const word = text.slice(j + 1, i + 1);
    if (count > 0 && /[.;:]$/.test(word)) break;
    start = j + 1;
    count++;
    i = j;
  }
  return start;
}

export function findAbbreviations(text: string): Abbreviation[] {
  const out: Abbreviation[] = [];
  const open = /\(([^()]{1,120})\)/g;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const inner = m[1]!;
    const innerStart = m.index + 1;
    // "(SF; other text)" or "(SF, …)": the short form is the first part.
    const cut = inner.search(/[;,:]\s/);
    const candidate = (cut >= 0 ? inner.slice(0, cut) : inner).trim();
    const candStart = innerStart + (cut >= 0 ? inner.slice(0, cut) : inner).indexOf(candidate);
    const before = text.slice(0, m.index).replace(/\s+$/, '');
    // A single capital ("testosterone (T)") is a short form only for a one-word long form it begins.
    if (/^\p{Lu}$/u.test(candidate)) {
      const word = before.match(/([\p{L}][\p{L}\p{N}-]{3,})$/u)?.[1];
      if (word && word[0]!.toUpperCase() === candidate) {
        const longStart = before.length - word.length;
        out.push({ short: candidate, shortStart: candStart, shortEnd: candStart + 1, long: word, longStart, longEnd: before.length });
      }
      continue;
    }
    if (isShortForm(candidate)) {
      const words = Math.min(candidate.length + 5, candidate.length * 2);
      const windowStart = lastWords(before, before.length, words);
      const window = before.slice(windowStart);
      const at = longFormStart(candidate, window);
      if (at >= 0) {
        const long = window.slice(at);
        // A long form must be longer than its short form and not contain it as a word.
        if (long.length > candidate.length && !new RegExp(`(^|\\W)${escapeRegExp(candidate)}(\\W|$)`).test(long)) {
          out.push({
            short: candidate,
            shortStart: candStart,
            shortEnd: candStart + candidate.length,
            long,
            longStart: windowStart + at,
            longEnd: windowStart + at + long.length,
          });
        }
      }
      continue;
    }
    // "SF (long form)": the word before the parenthesis is the short form.
    const prev = before.match(/([\p{L}\p{N}][\p{L}\p{N}-]{1,9})$/u);
    if (prev && isShortForm(prev[1]!) && /\p{Lu}/u.test(prev[1]!) && longFormStart(prev[1]!, candidate) === 0) {
      const shortStart = before.length - prev[1]!.length;
      out.push({
        short: prev[1]!,
        shortStart,
        shortEnd: before.length,
        long: candidate,
        longStart: candStart,
        longEnd: candStart + candidate.length,
      });
    }
  }
  return out;
}
