/**
 * What the tokenizer returns: ids, tokens, ORIGINAL-text offsets (UTF-16, [start, end)), the word
 * each token belongs to (null for specials) and the words' own original ranges. NER decoding reads
 * `wordIds` and `words`; the session batches `ids`.
 *
 *   enc.tokens  // ['[CLS]', 'cis', '##platin', '[SEP]'];  enc.offsets[1] // [0, 3]
 */
export interface Encoding {
  ids: number[];
  tokens: string[];
  offsets: [number, number][];
  /** Index into `words` per token; null for special tokens. */
  wordIds: (number | null)[];
  specialTokensMask: number[];
  /** Original [start, end) of every pre-tokenizer word. */
  words: [number, number][];
}

export function emptyEncoding(): Encoding {
  return { ids: [], tokens: [], offsets: [], wordIds: [], specialTokensMask: [], words: [] };
}

/** Tokens [start, end) of an encoding (words kept whole, word ids unchanged). */
export function sliceEncoding(enc: Encoding, start: number, end: number): Encoding {
  return {
    ids: enc.ids.slice(start, end),
    tokens: enc.tokens.slice(start, end),
    offsets: enc.offsets.slice(start, end),
    wordIds: enc.wordIds.slice(start, end),
    specialTokensMask: enc.specialTokensMask.slice(start, end),
    words: enc.words,
  };
}
