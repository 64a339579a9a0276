/**
 * A string under normalisation that remembers, for every normalised code point, the range of the
 * ORIGINAL text it came from (UTF-16 code units) — the Rust tokenizers crate's NormalizedString.
 * Normalisers edit it; the WordPiece model reads it; offsets map back through `originalRange`.
 *
 *   const n = NormalizedString.from('Élan'); n.nfd().filter((c) => !isMarkNonspacing(c)); n.text // 'Elan'
 */

/** One normalised code point and the original range it stands for. */
export interface AlignedChar {
  char: string;
  start: number;
  end: number;
}

export class NormalizedString {
  private constructor(
    readonly original: string,
    /** The normalised code points, each with its [start, end) in `original`. */
    public chars: AlignedChar[],
  ) {}

  /** `base` shifts every alignment: for a piece of a longer text. */
  static from(original: string, base = 0): NormalizedString {
    const chars: AlignedChar[] = [];
    let i = base;
    for (const char of original) {
      chars.push({ char, start: i, end: i + char.length });
      i += char.length;
    }
    return new NormalizedString(original, chars);
  }

  get text(): string {
    let s = '';
    for (const c of this.chars) s += c.char;
    return s;
  }

  get length(): number {
    return this.chars.length;
  }

  filter(keep: (char: string) => boolean): this {
    this.chars = this.chars.filter((c) => keep(c.char));
    return this;
  }

  /** One-to-one replacement: the new code point keeps the old one's alignment. */
  map(fn: (char: string) => string): this {
    for (const c of this.chars) c.char = fn(c.char);
    return this;
  }

  /**
   * One-to-many replacement: every code point `fn` returns shares the alignment of the one it
   * came from, as inserted characters do in the Rust crate (they copy their predecessor's).
   */
  flatMap(fn: (char: string) => string): this {
    const out: AlignedChar[] = [];
    for (const c of this.chars) {
      const replaced = fn(c.char);
      if (replaced === c.char) {
        out.push(c);
        continue;
      }
      for (const char of replaced) out.push({ char, start: c.start, end: c.end });
    }
    this.chars = out;
    return this;
  }

  /** Canonical decomposition, character by character (as the Rust crate does). */
  nfd(): this {
    return this.flatMap((c) => c.normalize('NFD'));
  }

  /** Context-free lowercasing per code point, like Rust's char::to_lowercase (no final-sigma rule). */
  lowercase(): this {
    return this.flatMap((c) => c.toLowerCase());
  }

  /** A part of this string (normalised code point indices), sharing the same original. */
  slice(start: number, end: number): NormalizedString {
    return new NormalizedString(this.original, this.chars.slice(start, end));
  }

  /**
   * The original [start, end) covered by normalised code points [start, end): the first one's
   * start to the last one's end; null for an empty range.
   */
  originalRange(start = 0, end = this.chars.length): [number, number] | null {
    if (end <= start) return null;
    const first = this.chars[start];
    const last = this.chars[end - 1];
    if (!first || !last) return null;
    return [first.start, last.end];
  }
}
