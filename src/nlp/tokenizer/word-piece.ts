/**
 * The tokenizer's model stage: WordPiece, greedy longest-match-first with a `##` continuation
 * prefix; a word longer than `maxInputCharsPerWord` code points, or one that cannot be covered by
 * the vocabulary, becomes a single unknown token spanning the whole word.
 *
 *   wp.tokenize(word)  // 'cisplatin' → [{ id: 28106, token: 'cis', start: 0, end: 3 }, { token: '##pl…' }, …]
 */

export interface WordPieceOptions {
  unkToken?: string;
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
}

/** A piece of a word: vocabulary id, its string, and [start, end) in the word's code points. */
export interface WordPieceToken {
  id: number;
  token: string;
  start: number;
  end: number;
}

export class WordPiece {
  readonly unkToken: string;
  readonly unkId: number;
  readonly prefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly idToToken: string[];

  constructor(
    readonly vocab: ReadonlyMap<string, number>,
    options: WordPieceOptions = {},
  ) {
    this.unkToken = options.unkToken ?? '[UNK]';
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    const unk = vocab.get(this.unkToken);
    if (unk === undefined) throw new Error(`WordPiece: the unknown token ${this.unkToken} is not in the vocabulary`);
    this.unkId = unk;
    this.idToToken = [];
    for (const [token, id] of vocab) this.idToToken[id] = token;
  }

  /** vocab.txt: one token a line, the id is the line number. */
  static fromVocabText(text: string, options: WordPieceOptions = {}): WordPiece {
    const vocab = new Map<string, number>();
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    lines.forEach((line, i) => {
      const token = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (!vocab.has(token)) vocab.set(token, i);
    });
    return new WordPiece(vocab, options);
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToTokenString(id: number): string | undefined {
    return this.idToToken[id];
  }

  get vocabSize(): number {
    return this.idToToken.length;
  }

  /** `chars` are the word's code points. */
  tokenize(chars: readonly string[]): WordPieceToken[] {
    const n = chars.length;
    if (n === 0) return [];
    if (n > this.maxInputCharsPerWord) return [{ id: this.unkId, token: this.unkToken, start: 0, end: n }];
    const out: WordPieceToken[] = [];
    let start = 0;
    while (start < n) {
      let end = n;
      let found: WordPieceToken | null = null;
      while (start < end) {
        let piece = chars.slice(start, end).join('');
        if (start > 0) piece = this.prefix + piece;
        const id = this.vocab.get(piece);
        if (id !== undefined) {
          found = { id, token: piece, start, end };
          break;
        }
        end--;
      }
      if (!found) return [{ id: this.unkId, token: this.unkToken, start: 0, end: n }];
      out.push(found);
      start = end;
    }
    return out;
  }
}
