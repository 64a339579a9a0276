/**
 * Relation candidates as pure functions: every ordered pair of mentions in one sentence whose
 * "SubjectType|ObjectType" the model knows (never a mention with itself, never overlapping spans),
 * and the BioBERT-style input where both mentions are replaced by their mask strings.
 *
 *   enumeratePairs(mentions, { 'Chemical|Gene': [...] })  // [{ subject: 0, object: 2, key: 'Chemical|Gene' }]
 *   maskPair('Aspirin inhibits COX-1.', m0, m1, masks)    // '@CHEMICAL$ inhibits @GENE$.'
 */

export interface Span {
  start: number;
  end: number;
  type: string;
}

export interface Pair {
  subject: number;
  object: number;
  /** "SubjectType|ObjectType", the key into pair_labels. */
  key: string;
}

export interface PairLimits {
  /**
   * At most this many pairs per sentence, the closest first. Long segments (tables, lists run
   * together) can hold dozens of mentions, and all-pairs would grow quadratically; relations the
   * models were trained on sit within a sentence, close together. Default 64.
   */
  maxPairs?: number;
}

export function enumeratePairs(
  mentions: readonly Span[],
  pairLabels: Readonly<Record<string, readonly string[]>>,
  limits: PairLimits = {},
): Pair[] {
  const out: Pair[] = [];
  mentions.forEach((s, i) => {
    mentions.forEach((o, j) => {
      if (i === j) return;
      if (s.start < o.end && o.start < s.end) return;
      const key = `${s.type}|${o.type}`;
      if (pairLabels[key]) out.push({ subject: i, object: j, key });
    });
  });
  const maxPairs = limits.maxPairs ?? 64;
  if (out.length <= maxPairs) return out;
  const gap = (p: Pair) => {
    const a = mentions[p.subject]!;
    const b = mentions[p.object]!;
    return Math.max(a.start, b.start) - Math.min(a.end, b.end);
  };
  // Closest pairs first (ties in enumeration order), then back to enumeration order: deterministic.
  return out
    .map((p, order) => ({ p, order, gap: gap(p) }))
    .sort((x, y) => x.gap - y.gap || x.order - y.order)
    .slice(0, maxPairs)
    .sort((x, y) => x.order - y.order)
    .map((x) => x.p);
}

/** The sentence with both spans replaced by their types' mask strings. */
export function maskPair(text: string, a: Span, b: Span, masks: Readonly<Record<string, string>>): string {
  const [first, second] = a.start <= b.start ? [a, b] : [b, a];
  const mask = (s: Span) => masks[s.type] ?? `@${s.type.toUpperCase()}$`;
  return text.slice(0, first.start) + mask(first) + text.slice(first.end, second.start) + mask(second) + text.slice(second.end);
}
