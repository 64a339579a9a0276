/**
 * The promotion rule of `litmine models promote`: a candidate model may replace the default only if,
 * on every evaluation set, its F1 is no more than `tolerance` points below the default's. Pure, so the
 * command and its tests share one definition of "no worse".
 *
 *   const v = promotionVerdict([{ name: 'ncbi-disease', candidate: 80.1, current: 79.78 }], 0.5);  v.ok // true
 */
export interface SetComparison {
  name: string;
  /** Candidate F1 (percent). */
  candidate: number;
  /** Current default's F1 (percent), recorded in its manifest or measured now. */
  current: number;
  currentFrom: 'manifest' | 'measured';
}

export interface PromotionVerdict {
  ok: boolean;
  tolerance: number;
  sets: (SetComparison & { delta: number; worse: boolean })[];
}

export function promotionVerdict(sets: readonly SetComparison[], tolerance: number): PromotionVerdict {
  const rows = sets.map((s) => {
    const delta = Math.round((s.candidate - s.current) * 100) / 100;
    return { ...s, delta, worse: delta < -tolerance };
  });
  return { ok: rows.length > 0 && rows.every((r) => !r.worse), tolerance, sets: rows };
}
