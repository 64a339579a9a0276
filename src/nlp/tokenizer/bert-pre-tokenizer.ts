/**
 * BERT's pre-tokenizer: whitespace separates words and is dropped; every punctuation character
 * (Unicode P* and the ASCII symbol ranges) is a word by itself.
 *
 *   new BertPreTokenizer().split(NormalizedString.from('p.Cys83Arg)'))  // p . Cys83Arg )
 */
import type { NormalizedString } from './normalized-string.js';
import { PreTokenizer } from './pre-tokenizer.js';
import { isBertPunctuation, isWhitespace } from './unicode.js';

export class BertPreTokenizer extends PreTokenizer {
  split(text: NormalizedString): NormalizedString[] {
    const words: NormalizedString[] = [];
    let start = -1;
    const chars = text.chars;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!.char;
      if (isWhitespace(c)) {
        if (start >= 0) words.push(text.slice(start, i));
        start = -1;
      } else if (isBertPunctuation(c)) {
        if (start >= 0) words.push(text.slice(start, i));
        words.push(text.slice(i, i + 1));
        start = -1;
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) words.push(text.slice(start, chars.length));
    return words;
  }
}
