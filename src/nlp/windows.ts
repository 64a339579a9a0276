/**
 * Long sentences: a token sequence longer than the model takes is cut into overlapping windows
 * (the Rust crate's overflowing encodings with a stride), and per-token outputs are merged back by
 * taking, for each token, the window in which it sits most centrally (most context both sides).
 *
 *   planWindows(1000, 510, 128)  // [[0, 510], [382, 892], [764, 1000]]
 */

/** Window [start, end) ranges over `length` tokens, each at most `size` long, overlapping by `overlap`. */
export function planWindows(length: number, size: number, overlap: number): [number, number][] {
  if (size < 1) throw new RangeError(`window size ${size} < 1`);
  const ov = Math.max(0, Math.min(overlap, size - 1));
  const out: [number, number][] = [];
  if (length <= size) return [[0, length]];
  let start = 0;
  for (;;) {
    const end = Math.min(length, start + size);
    out.push([start, end]);
    if (end === length) return out;
    start = end - ov;
  }
}

/** The index of the window each token should take its output from (ties go to the earlier window). */
export function mostCentralWindow(length: number, windows: readonly [number, number][]): number[] {
  const pick = new Array<number>(length).fill(-1);
  const best = new Array<number>(length).fill(-1);
  windows.forEach(([start, end], w) => {
    for (let i = start; i < end; i++) {
      const centrality = Math.min(i - start, end - 1 - i);
      if (centrality > best[i]!) {
        best[i] = centrality;
        pick[i] = w;
      }
    }
  });
  return pick;
}

/**
 * Merges per-window rows (window w's row k is token windows[w][0] + k) into one row per token.
 * `rows[w]` is a [windowLength × width] row-major array.
 */
export function mergeWindows(
  length: number,
  width: number,
  windows: readonly [number, number][],
  rows: readonly Float32Array[],
): Float32Array {
  const out = new Float32Array(length * width);
  const pick = mostCentralWindow(length, windows);
  for (let i = 0; i < length; i++) {
    const w = pick[i]!;
    const k = i - windows[w]![0];
    out.set(rows[w]!.subarray(k * width, (k + 1) * width), i * width);
  }
  return out;
}
