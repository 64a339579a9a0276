/**
 * The last tokenizer stage: wraps a sequence in its special tokens, e.g. BERT's [CLS] … [SEP].
 * Specials get offsets [0, 0] and no word, as in Hugging Face.
 *
 *   new BertProcessing(['[CLS]', 101], ['[SEP]', 102]).process(enc).ids  // [101, …, 102]
 */
import type { Encoding } from './encoding.js';

export abstract class PostProcessor {
  abstract process(encoding: Encoding): Encoding;
  /** How many tokens `process` adds to a single sequence. */
  abstract get addedTokens(): number;
}

export type SpecialToken = [token: string, id: number];

/** Prepends and appends fixed special tokens: BertProcessing and the single-sequence template. */
export class BertProcessing extends PostProcessor {
  constructor(
    readonly prefix: SpecialToken[],
    readonly suffix: SpecialToken[],
  ) {
    super();
  }

  static bert(cls: SpecialToken, sep: SpecialToken): BertProcessing {
    return new BertProcessing([cls], [sep]);
  }

  get addedTokens(): number {
    return this.prefix.length + this.suffix.length;
  }

  process(enc: Encoding): Encoding {
    const pre = this.prefix;
    const post = this.suffix;
    const special = <T>(items: SpecialToken[], f: (s: SpecialToken) => T): T[] => items.map(f);
    return {
      ids: [...special(pre, (s) => s[1]), ...enc.ids, ...special(post, (s) => s[1])],
      tokens: [...special(pre, (s) => s[0]), ...enc.tokens, ...special(post, (s) => s[0])],
      offsets: [...special(pre, (): [number, number] => [0, 0]), ...enc.offsets, ...special(post, (): [number, number] => [0, 0])],
      wordIds: [...special(pre, () => null), ...enc.wordIds, ...special(post, () => null)],
      specialTokensMask: [...special(pre, () => 1), ...enc.specialTokensMask, ...special(post, () => 1)],
      words: enc.words,
    };
  }
}
