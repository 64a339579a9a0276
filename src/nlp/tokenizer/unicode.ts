/**
 * The character classes BERT's basic tokenizer relies on, with the definitions the Hugging Face
 * Rust crate uses (not JavaScript's \s, which also matches U+FEFF). Shared by the normaliser and
 * the pre-tokenizer.
 *
 *   isBertPunctuation('$') // true: ASCII symbols count as punctuation, as in BERT
 */

// Rust's char::is_whitespace: the Unicode White_Space property.
const WHITE_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
const OTHER = /^[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]$/u;
const PUNCTUATION = /^\p{P}$/u;
const MARK_NONSPACING = /^\p{Mn}$/u;

export function isWhitespace(c: string): boolean {
  return WHITE_SPACE.test(c);
}

/** Whitespace for clean_text: tab, newline and carriage return are controls BERT treats as spaces. */
export function isBertWhitespace(c: string): boolean {
  return c === '\t' || c === '\n' || c === '\r' || WHITE_SPACE.test(c);
}

export function isBertControl(c: string): boolean {
  if (c === '\t' || c === '\n' || c === '\r') return false;
  return OTHER.test(c);
}

export function isBertPunctuation(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  // ASCII non-alphanumerics between the letter/digit ranges: BERT counts "$", "+", "^" … too.
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
    return true;
  }
  return PUNCTUATION.test(c);
}

export function isChineseChar(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

export function isMarkNonspacing(c: string): boolean {
  return MARK_NONSPACING.test(c);
}
