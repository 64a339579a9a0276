/**
 * BERT's basic-tokenizer normalisation with the Rust crate's semantics: drop controls/NUL/U+FFFD,
 * whitespace → ' ', space around CJK ideographs, NFD + drop Mn when stripping accents, lowercase.
 * Accents are stripped when `stripAccents` is null and `lowercase` is on (HF's default).
 *
 *   new BertNormalizer({ lowercase: true }).normalize(n)  // 'Ångström\u200b' → 'angstrom'
 */
import { NormalizedString } from './normalized-string.js';
import { Normalizer } from './normalizer.js';
import { isBertControl, isBertWhitespace, isChineseChar, isMarkNonspacing } from './unicode.js';

export interface BertNormalizerOptions {
  cleanText?: boolean;
  handleChineseChars?: boolean;
  stripAccents?: boolean | null;
  lowercase?: boolean;
}

export class BertNormalizer extends Normalizer {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  readonly stripAccents: boolean;
  readonly lowercase: boolean;

  constructor(options: BertNormalizerOptions = {}) {
    super();
    this.cleanText = options.cleanText ?? true;
    this.handleChineseChars = options.handleChineseChars ?? true;
    this.lowercase = options.lowercase ?? true;
    this.stripAccents = options.stripAccents ?? this.lowercase;
  }

  normalize(text: NormalizedString): void {
    if (this.cleanText) {
      text.filter((c) => c !== '\0' && c !== '\ufffd' && !isBertControl(c)).map((c) => (isBertWhitespace(c) ? ' ' : c));
    }
    if (this.handleChineseChars) {
      text.flatMap((c) => (isChineseChar(c) ? ` ${c} ` : c));
    }
    if (this.stripAccents) {
      text.nfd().filter((c) => !isMarkNonspacing(c));
    }
    if (this.lowercase) text.lowercase();
  }
}

export { NormalizedString };
