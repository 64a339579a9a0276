/**
 * A BERT tokenizer as a fixed pipeline — normaliser → pre-tokenizer → WordPiece → post-processor —
 * that keeps, for every token, its [start, end) in the ORIGINAL text (UTF-16 code units).
 * Identical to Hugging Face `tokenizers` on the golden file (test/nlp/tokenizer-golden.test.ts).
 *
 *   const enc = tokenizer.encode('Cisplatin-induced AKI');  enc.offsets  // [[0,0],[0,3],[3,9],…]
 */
import { type Encoding, emptyEncoding } from './encoding.js';
import { NormalizedString } from './normalized-string.js';
import type { Normalizer } from './normalizer.js';
import type { PostProcessor } from './post-processor.js';
import type { PreTokenizer } from './pre-tokenizer.js';
import type { WordPiece } from './word-piece.js';

export interface EncodeOptions {
  /** Add [CLS]/[SEP] (default true). The session adds them per window instead. */
  addSpecialTokens?: boolean;
}

export class Tokenizer {
  constructor(
    readonly normalizer: Normalizer | null,
    readonly preTokenizer: PreTokenizer,
    readonly model: WordPiece,
    readonly postProcessor: PostProcessor,
    /** Ids the session needs for padding and masking. */
    readonly specials: { pad: number; cls: number; sep: number; unk: number },
    /** Special tokens matched verbatim in the raw text before normalisation ("[MASK]"), as HF does. */
    addedTokens: ReadonlyMap<string, number> = new Map(),
  ) {
    const names = [...addedTokens.keys()].sort((a, b) => b.length - a.length);
    this.addedTokens = addedTokens;
    this.addedPattern = names.length ? new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null;
  }

  private readonly addedTokens: ReadonlyMap<string, number>;
  private readonly addedPattern: RegExp | null;

  encode(text: string, options: EncodeOptions = {}): Encoding {
    const enc = emptyEncoding();
    let last = 0;
    if (this.addedPattern) {
      this.addedPattern.lastIndex = 0;
      for (let m = this.addedPattern.exec(text); m; m = this.addedPattern.exec(text)) {
        this.encodeSegment(text.slice(last, m.index), last, enc);
        enc.ids.push(this.addedTokens.get(m[0])!);
        enc.tokens.push(m[0]);
        enc.offsets.push([m.index, m.index + m[0].length]);
        enc.wordIds.push(enc.words.length);
        enc.specialTokensMask.push(1);
        enc.words.push([m.index, m.index + m[0].length]);
        last = m.index + m[0].length;
      }
    }
    this.encodeSegment(last === 0 ? text : text.slice(last), last, enc);
    return options.addSpecialTokens === false ? enc : this.postProcessor.process(enc);
  }

  private encodeSegment(text: string, base: number, enc: Encoding): void {
    if (text === '') return;
    const normalized = NormalizedString.from(text, base);
    this.normalizer?.normalize(normalized);
    const words = this.preTokenizer.split(normalized);
    let wordIndex = enc.words.length;
    for (const word of words) {
      const range = word.originalRange();
      if (!range) continue;
      const chars = word.chars.map((c) => c.char);
      const pieces = this.model.tokenize(chars);
      if (pieces.length === 0) continue;
      for (const piece of pieces) {
        enc.ids.push(piece.id);
        enc.tokens.push(piece.token);
        enc.offsets.push(word.originalRange(piece.start, piece.end) ?? range);
        enc.wordIds.push(wordIndex);
        enc.specialTokensMask.push(0);
      }
      enc.words.push(range);
      wordIndex++;
    }
  }

  /** Words only (original ranges), without WordPiece: what CoNLL-style evaluation aligns to. */
  words(text: string): [number, number][] {
    const normalized = NormalizedString.from(text);
    this.normalizer?.normalize(normalized);
    const out: [number, number][] = [];
    for (const w of this.preTokenizer.split(normalized)) {
      const r = w.originalRange();
      if (r) out.push(r);
    }
    return out;
  }
}
