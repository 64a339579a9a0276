/**
 * The second tokenizer stage: a pre-tokenizer cuts the normalised text into words, each a slice
 * that keeps its alignment to the original. The words are also what NER decoding labels.
 *
 *   new BertPreTokenizer().split(n).map((w) => w.text)  // 'IL-2 gene' → ['IL', '-', '2', 'gene']
 */
import type { NormalizedString } from './normalized-string.js';

export abstract class PreTokenizer {
  abstract split(text: NormalizedString): NormalizedString[];
}
