/**
 * Where a consumer's batch ends: at most `maxMessages` messages and at most `maxBytes` of values,
 * but never empty, so a message larger than the budget still goes through, alone. Both logs cut
 * their fetched messages with it, so a batch is the same size on either.
 *
 *   batchLength([900, 900, 900], { maxMessages: 64, maxBytes: 2000 })  // 2
 */
export interface BatchLimits {
  maxMessages: number;
  /** Most value bytes in one batch; no limit when absent. */
  maxBytes?: number;
}

export function batchLength(valueBytes: readonly number[], limits: BatchLimits): number {
  const most = Math.min(valueBytes.length, limits.maxMessages);
  if (limits.maxBytes === undefined) return most;
  let bytes = 0;
  for (let i = 0; i < most; i++) {
    bytes += valueBytes[i]!;
    if (i > 0 && bytes > limits.maxBytes) return i;
  }
  return most;
}
