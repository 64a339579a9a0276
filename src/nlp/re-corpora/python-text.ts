/**
 * Python's str and re semantics where they differ from JavaScript's, for the readers that must
 * build exactly the instances models/train/re_data.py builds: what `splitlines()` splits on, what
 * `\s`, `\w`/`\b` and `\d` match in a str pattern (Unicode, not ASCII), and offsets counted in code
 * points rather than UTF-16 units.
 */

/** Characters of str.isspace(), i.e. what `\s` and `strip()` take in Python. */
export const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's `\w` in a str pattern (letters, numbers, underscore); use with the `u` flag. */
export const PY_WORD = '\\p{L}\\p{N}_';

/** `Path.read_text().splitlines()`: universal newlines plus the separators splitlines adds. */
export function pySplitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const SPACES = new RegExp(`[${PY_SPACE}]+`, 'g');

/** re_data.py's `_norm`: `re.sub(r"\s+", " ", s.strip().lower())`. */
export function pyNorm(s: string): string {
  return s.replace(STRIP, '').toLowerCase().replace(SPACES, ' ');
}

/** len(s): code points. */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Converts between code-point offsets (Python's) and UTF-16 offsets (JavaScript's) in one string;
 * the identity where the string has no character outside the BMP.
 */
export class CodePoints {
  private readonly unitOf: number[] | null = null;
  private readonly cpOf: number[] | null = null;

  constructor(readonly text: string) {
    if (!SURROGATE.test(text)) return;
    const unitOf: number[] = [];
    const cpOf: number[] = new Array(text.length + 1);
    let unit = 0;
    for (const ch of text) {
      unitOf.push(unit);
      for (let k = 0; k < ch.length; k++) cpOf[unit + k] = unitOf.length - 1;
      unit += ch.length;
    }
    unitOf.push(unit);
    cpOf[unit] = unitOf.length - 1;
    this.unitOf = unitOf;
    this.cpOf = cpOf;
  }

  /** Code-point offset → UTF-16 offset (offsets past the end clamp, like Python slicing). */
  unit(cp: number): number {
    if (this.unitOf === null) return Math.min(cp, this.text.length);
    return this.unitOf[Math.min(cp, this.unitOf.length - 1)]!;
  }

  /** UTF-16 offset (at a code-point boundary) → code-point offset. */
  cp(unit: number): number {
    return this.cpOf === null ? unit : this.cpOf[unit]!;
  }

  /** len(text). */
  get length(): number {
    return this.unitOf === null ? this.text.length : this.unitOf.length - 1;
  }

  /** text[start:end] with code-point offsets (non-negative). */
  slice(start: number, end?: number): string {
    return this.text.slice(this.unit(start), end === undefined ? undefined : this.unit(end));
  }
}

/**
 * re_data.py's `_mask` on code-point offsets: the two spans replaced by their masks, in text order
 * (ties broken by the mask string, as Python sorts the tuples); null where the spans overlap.
 */
export function maskSpans(
  text: CodePoints,
  a: readonly [number, number],
  b: readonly [number, number],
  maskA: string,
  maskB: string,
): string | null {
  const x = [a[0], a[1], maskA] as const;
  const y = [b[0], b[1], maskB] as const;
  const before = x[0] !== y[0] ? x[0] < y[0] : x[1] !== y[1] ? x[1] < y[1] : x[2] <= y[2];
  const [[s1, e1, m1], [s2, e2, m2]] = before ? [x, y] : [y, x];
  if (s2 < e1) return null;
  return text.slice(0, s1) + m1 + text.slice(e1, s2) + m2 + text.slice(e2);
}
