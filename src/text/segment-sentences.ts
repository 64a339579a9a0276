/**
 * Sentence segmentation with exact character offsets: the first step of the annotate stage
 * (segment → tokenize → NER → RE) and of the pre-training corpus export. A small rule-based
 * scanner tuned for biomedical prose (abbreviations, species names, p-values, gene names).
 *
 *   segmentSentences('E. coli grew (p < 0.05). See Fig. 2.') // → [{start:0,end:24},{start:25,end:36}]
 */

/** A sentence as [start, end) UTF-16 offsets into the passage text, trimmed of whitespace. */
export interface SentenceSpan {
  start: number;
  end: number;
}

/**
 * Abbreviations that are followed by more of the same sentence in practice ("Fig. 2", "e.g. the",
 * "Smith et al. showed"), so a period after them never ends a sentence. Case-sensitive on purpose:
 * "ca." is circa but "Ca." can be calcium closing a sentence.
 */
const NEVER_FINAL = new Set([
  'e.g',
  'i.e',
  'E.g',
  'I.e',
  'eg',
  'ie',
  'al',
  'cf',
  'Cf',
  'vs',
  'Vs',
  'viz',
  'approx',
  'Approx',
  'ca',
  'incl',
  'Fig',
  'fig',
  'Figs',
  'figs',
  'Eq',
  'eq',
  'Eqs',
  'eqs',
  'Ref',
  'ref',
  'Refs',
  'refs',
  'Tab',
  'Tabs',
  'Suppl',
  'suppl',
  'Supp',
  'Dr',
  'Drs',
  'Mr',
  'Mrs',
  'Ms',
  'Prof',
  'St',
  'Dept',
  'Univ',
  'Sect',
  'Sec',
  'Chap',
  'Vol',
  'vol',
  'pp',
  'Nos',
  'nos',
  'ed',
  'eds',
  'Ed',
  'Eds',
  'appr',
  'eqn',
  'Eqn',
  'resp',
  'Resp',
  // journal-title abbreviations of inline references ("J. Biol. Chem. 275, 6894"); never words
  'Biol',
  'Biochem',
  'Biophys',
  'Proc',
  'Natl',
  'Acad',
  'Sci',
  'Environ',
  'Mol',
  'Immunol',
  'Pharmacol',
  'Physiol',
  'Clin',
  'Chem',
  'Res',
  'Exp',
  'Rev',
  'Lett',
  'Genet',
  'Microbiol',
  'Neurosci',
  'Oncol',
]);

/**
 * Abbreviations that often close a sentence too ("... Streptomyces sp. The", "... and so on, etc.").
 * After these a period ends the sentence only when a plain capitalised word follows, so that
 * "Synechocystis sp. PCC 6803" and "No. 5" stay whole.
 */
const MAYBE_FINAL = new Set([
  'etc',
  'sp',
  'spp',
  'ssp',
  'subsp',
  'var',
  'cv',
  'str',
  'nov',
  'no',
  'No',
  'Inc',
  'Ltd',
  'Co',
  'Corp',
  'Jr',
  'p',
  'exp',
  'min',
  'max',
  'wt',
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Sept',
  'Oct',
  'Nov',
  'Dec',
]);

/** Words that begin sentences, used to tell "vitamin D. These" from "J. Smith". */
const SENTENCE_STARTERS = new Set([
  'A',
  'An',
  'The',
  'This',
  'These',
  'That',
  'Those',
  'Thus',
  'Then',
  'There',
  'Therefore',
  'Here',
  'However',
  'In',
  'On',
  'At',
  'As',
  'By',
  'For',
  'From',
  'To',
  'We',
  'Our',
  'It',
  'Its',
  'They',
  'Their',
  'Such',
  'No',
  'Both',
  'All',
  'Each',
  'Moreover',
  'Furthermore',
  'Finally',
  'Although',
  'After',
  'Before',
  'When',
  'While',
  'Using',
  'With',
  'Of',
  'Taken',
  'Together',
  'Overall',
  'Results',
  'Conclusions',
  'Methods',
  'Patients',
  'Treatment',
  'Similarly',
  'Consistent',
  'Consistently',
  'Importantly',
  'Additionally',
  'Also',
  'Since',
  'Because',
  'Among',
  'Despite',
  'Further',
  'Interestingly',
  'Notably',
  'Since',
  'If',
  'One',
  'Two',
  'Most',
]);

/** Lowercase words that precede a person's initial ("by J. Smith"), unlike "vitamin D." or "type B.". */
const BEFORE_INITIAL = new Set(['by', 'and', 'of', 'with', 'from', 'to', 'for', 'in', 'at', '&']);

const OPENERS = '([{"\'“‘«';
const CLOSERS = ')]}"\'”’»¹²³⁰⁴⁵⁶⁷⁸⁹';

/** Split a passage into sentences; offsets index the original string (UTF-16 code units). */
export function segmentSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let segmentStart = 0;
  let depth = 0; // bracket depth since the last boundary, to keep "(see Fig. 1. mRNA ...)" whole
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91)
      depth++; // ( [
    else if ((c === 41 || c === 93) && depth > 0)
      depth--; // ) ]
    else if (c === 46 || c === 63 || c === 33) {
      // . ? !
      const end = terminatorEnd(text, i);
      const glued = end < n && !isSpace(text.charCodeAt(end));
      const isEnd = glued
        ? end === i + 1 && isGluedSentenceEnd(text, i)
        : !isListMarker(text, segmentStart, i) && isSentenceEnd(text, i, end, depth);
      if (isEnd) {
        pushTrimmed(text, segmentStart, end, spans);
        segmentStart = end;
        depth = 0;
      }
      // Skip the rest of a "?!" or "..." run, but let the loop see closing brackets for the depth.
      while (i + 1 < end && isTerminator(text.charCodeAt(i + 1))) i++;
    } else if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
      if (isLineBreakBoundary(text, i)) {
        pushTrimmed(text, segmentStart, i, spans);
        segmentStart = i + 1;
        depth = 0;
      }
    }
  }
  pushTrimmed(text, segmentStart, n, spans);
  return spans;
}

/** "1." "(a)." "B." "iv." opening a segment: a list marker that belongs to the sentence after it. */
function isListMarker(text: string, segmentStart: number, i: number): boolean {
  if (i - segmentStart > 12) return false;
  return /^\s*\(?(?:\d{1,2}|[A-Za-z]|[ivx]{1,4})\)?$/.test(text.slice(segmentStart, i));
}

/**
 * Where a sentence ending that starts at `i` stops: the run of terminators ("?!", "..."), closing
 * quotes and brackets (`.)` `."`), and a bracketed citation glued to the period (".[12]").
 */
function terminatorEnd(text: string, i: number): number {
  const n = text.length;
  let j = i + 1;
  while (j < n && isTerminator(text.charCodeAt(j))) j++;
  while (j < n && CLOSERS.includes(text[j]!)) j++;
  if (j < n && text.charCodeAt(j) === 91) {
    const m = /^\[[\d,\s\u2013-]{1,40}\]/.exec(text.slice(j, j + 44));
    if (m) j += m[0].length;
  }
  return j;
}

/** The decision at one candidate: terminators text[i..end) followed by whitespace or the end. */
function isSentenceEnd(text: string, i: number, end: number, depth: number): boolean {
  const next = nextWord(text, end);
  if (next === '') return true;
  const isPeriod = text.charCodeAt(i) === 46 && !isTerminator(text.charCodeAt(i + 1));
  const startsLower = startsWithLowercase(next);
  if (!isPeriod) return !startsLower; // "?" and "!": only a lowercase word continues the sentence

  const prev = previousWord(text, i);
  const first = next.charCodeAt(0);
  if (NEVER_FINAL.has(prev) || /[eE]\. g$|[iI]\. e$/.test(text.slice(i - 4, i))) return false;
  const maybeFinal = MAYBE_FINAL.has(prev) || /^(?:\p{Ll}\.)+\p{Ll}$/u.test(prev); // "i.p. LPS", "s.c."
  if (startsLower) {
    // A sentence may open with a gene or chemical name written lowercase-first ("mRNA", "p53",
    // "β-Catenin"), but never inside brackets, where "(see ref. 5. mRNA ...)" is one clause.
    return depth === 0 && !maybeFinal && looksLikeLowercaseName(next);
  }
  if (isDigit(first)) {
    // "(Blood. 2000;96:4142)", "Chem. 275, 6894", "P < 0. 01", "No. 5": references, broken decimals.
    if (depth > 0 || maybeFinal || isInitial(prev) || (/^\d+$/.test(prev) && (prev === '0' || first === 48))) return false;
    return !(isTitlecaseWord(prev) && /^\d+[;:,]/.test(next));
  }
  if (/^[+\-±]\)-?\p{Lu}/u.test(next)) return true; // "(+)-Propranolol had"
  if (!isUppercase(first)) return false; // "& Peyron", "-155 to", "= 3": a symbol continues
  if (/^\p{Lu}{4,}(?:[ /]\p{Lu}+)*:/u.test(next)) return true; // "30 min. RESULTS:", "group C. CONCLUSION:"
  if (maybeFinal) return isTitlecaseWord(next);
  if (isInitial(prev)) {
    // "J. Smith", "S. Typhimurium", "U.S. Food" go on; "vitamin D. These" and "NF-kappa B. Requirement" end.
    if (SENTENCE_STARTERS.has(stripPunct(next))) return true;
    const before = wordBefore(text, i - prev.length);
    if (/^[MCKLV]$/.test(prev) && /[\d)]$/.test(before)) return true; // a unit: "1.2 x 10(-8) M."
    return /^(?:\p{Ll}{3,}|\S*-\p{Ll}{3,})$/u.test(before) && !BEFORE_INITIAL.has(before);
  }
  return true;
}

/**
 * A period glued to a capitalised word ("by MB.Moreover", left where markup was stripped) ends
 * the sentence when it closes a lowercase word; "NF-kB.Next" style names and "Fig.2" stay whole.
 */
function isGluedSentenceEnd(text: string, i: number): boolean {
  if (text.charCodeAt(i) !== 46) return false;
  const prev = previousWord(text, i);
  if (!/\p{Ll}{2}\)?$/u.test(prev) || NEVER_FINAL.has(prev) || MAYBE_FINAL.has(prev)) return false;
  return /^(?:\p{Lu}\p{Ll}{2,}(?:\s|,)|\(ABSTRACT TRUNCATED)/u.test(text.slice(i + 1, i + 40));
}

/**
 * A line break ends a sentence (titles, structured labels, list items) unless it only wraps a line:
 * no terminator before it and a lowercase word after it.
 */
function isLineBreakBoundary(text: string, i: number): boolean {
  const next = nextWord(text, i + 1);
  if (next === '' || !startsWithLowercase(next)) return true;
  if (/\n[ \t]*\r?\n/.test(text.slice(i, i + 8))) return true; // a blank line always separates
  let k = i - 1;
  while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
  return k >= 0 && isTerminator(text.charCodeAt(k)) && !NEVER_FINAL.has(previousWord(text, k));
}

/** The word that follows position `from`, skipping whitespace, opening brackets and quotes, and enumerators like "(ii)". */
function nextWord(text: string, from: number): string {
  const n = text.length;
  let j = from;
  while (j < n && isSpace(text.charCodeAt(j))) j++;
  const enumerator = /^\((?:[ivx]{1,4}|[a-zA-Z]|\d{1,2})\)\s+/.exec(text.slice(j, j + 10));
  if (enumerator) j += enumerator[0].length;
  while (j < n && OPENERS.includes(text[j]!)) j++;
  let k = j;
  while (k < n && !isSpace(text.charCodeAt(k))) k++;
  return text.slice(j, k);
}

/** The word ending right before the terminator at `i`, without leading brackets or quotes. */
function previousWord(text: string, i: number): string {
  let k = i;
  while (k > 0 && !isSpace(text.charCodeAt(k - 1))) k--;
  while (k < i && OPENERS.includes(text[k]!)) k++;
  return text.slice(k, i);
}

/** The bare word before position `wordStart` (used to look one word further back). */
function wordBefore(text: string, wordStart: number): string {
  let k = wordStart;
  while (k > 0 && OPENERS.includes(text[k - 1]!)) k--;
  while (k > 0 && isSpace(text.charCodeAt(k - 1))) k--;
  return stripPunct(previousWord(text, k));
}

/** "J", "E", "U.S", "J.R": initials and dotted acronyms. */
function isInitial(word: string): boolean {
  return /^\p{Lu}(?:\.\p{Lu})*$/u.test(word);
}

/** "The", "Patients": a capital then lowercase letters, not a strain code like "PCC" or "K-12". */
function isTitlecaseWord(word: string): boolean {
  return /^\p{Lu}\p{Ll}+\b/u.test(word);
}

/** "mRNA", "p53", "cDNA", "iNOS", "c-Jun", "gamma-Interferon", "α-synuclein": lowercase-first names that can open a sentence. */
function looksLikeLowercaseName(word: string): boolean {
  return /^\p{Ll}+[\p{Lu}\d]/u.test(word) || /^\p{Ll}+-\p{Lu}/u.test(word) || /^[α-ω]-/u.test(word);
}

function startsWithLowercase(word: string): boolean {
  return /^\p{Ll}/u.test(word);
}

function stripPunct(word: string): string {
  return word.replace(/[^\p{L}\p{N}&]+$/u, '');
}

function isTerminator(c: number): boolean {
  return c === 46 || c === 63 || c === 33;
}

function isUppercase(c: number): boolean {
  return (c >= 65 && c <= 90) || (c > 127 && String.fromCharCode(c).toLowerCase() !== String.fromCharCode(c));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whitespace as String.prototype.trim sees it, so spans and trim() agree. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 128) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Append text[start,end) trimmed of whitespace, unless nothing is left. */
function pushTrimmed(text: string, start: number, end: number, spans: SentenceSpan[]): void {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end > start) spans.push({ start, end });
}
