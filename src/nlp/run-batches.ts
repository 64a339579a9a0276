/**
 * Runs many token-id sequences through a session: bucketed by length so each batch pads little,
 * batches sized by padded tokens (rows × longest ≤ a token budget, at most `batchSize` rows), the
 * next batch's tensors built while the model runs the current one, output shapes checked, results
 * returned in input order.
 *
 *   const rows = await runBatches(session, seqs, { batchSize: 64, tokenBudget: 4096, padId: 0, width: 13, perToken: true });
 *   rows[i]  // Float32Array [seqs[i].length × 13] (NER) or [13] (RE)
 */
import { LitmineError } from '../errors.js';
import type { OutputTensor, PaddedBatch } from './onnx-session.js';

export interface BatchRunner {
  readonly path: string;
  /** Batches it can run at once (a pool of sessions); 1 when absent. */
  readonly concurrency?: number;
  run(batch: PaddedBatch): Promise<OutputTensor>;
}

export interface BatchPlanOptions {
  /** Most rows in one batch. */
  batchSize: number;
  /** Most padded tokens (rows × the batch's longest sequence) in one batch; a longer sequence runs alone. */
  tokenBudget?: number;
}

export interface RunBatchesOptions extends BatchPlanOptions {
  padId: number;
  /** Labels per output row. */
  width: number;
  /** true: logits [B, S, L] (token classification); false: [B, L] (sequence classification). */
  perToken: boolean;
  /** Called after each batch with the number of sequences done in it. */
  onBatch?: (sequences: number) => void;
}

/** Default padded-token budget per batch: fills 64 rows of 64 tokens, the sweet spot measured on 2 CPU cores. */
export const DEFAULT_TOKEN_BUDGET = 4096;

/**
 * Indices of `lengths` in batches: sorted by length (ties by input order, so the plan is
 * deterministic), cut where one more row would exceed the token budget or the row cap.
 */
export function planBatches(lengths: readonly number[], options: BatchPlanOptions): number[][] {
  const budget = options.tokenBudget ?? Number.POSITIVE_INFINITY;
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const batches: number[][] = [];
  let cur: number[] = [];
  for (const i of order) {
    // Ascending order: the row being added is the batch's longest.
    if (cur.length > 0 && (cur.length >= options.batchSize || (cur.length + 1) * Math.max(1, lengths[i]!) > budget)) {
      batches.push(cur);
      cur = [];
    }
    cur.push(i);
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}

export function padBatch(seqs: readonly (readonly number[])[], padId: number): PaddedBatch {
  const batch = seqs.length;
  const seq = Math.max(1, ...seqs.map((s) => s.length));
  const inputIds = new BigInt64Array(batch * seq).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    const s = seqs[b]!;
    for (let i = 0; i < s.length; i++) {
      inputIds[b * seq + i] = BigInt(s[i]!);
      attentionMask[b * seq + i] = 1n;
    }
  }
  return { inputIds, attentionMask, tokenTypeIds: new BigInt64Array(batch * seq), batch, seq };
}

export async function runBatches(
  session: BatchRunner,
  seqs: readonly (readonly number[])[],
  options: RunBatchesOptions,
): Promise<Float32Array[]> {
  const plan = planBatches(
    seqs.map((s) => s.length),
    options,
  );
  const out = new Array<Float32Array>(seqs.length);
  const { width } = options;
  const pad = (k: number) =>
    padBatch(
      plan[k]!.map((i) => seqs[i]!),
      options.padId,
    );
  const collect = (k: number, batch: PaddedBatch, { data, dims }: OutputTensor) => {
    const expected = options.perToken ? [batch.batch, batch.seq, width] : [batch.batch, width];
    if (dims.length !== expected.length || dims.some((d, j) => d !== expected[j])) {
      throw new LitmineError(
        'LITMINE_MODEL_SHAPE',
        `${session.path}: logits shape [${dims.join(', ')}], expected [${expected.join(', ')}]`,
      );
    }
    plan[k]!.forEach((i, b) => {
      if (options.perToken) {
        const len = seqs[i]!.length;
        out[i] = data.slice(b * batch.seq * width, (b * batch.seq + len) * width);
      } else {
        out[i] = data.slice(b * width, (b + 1) * width);
      }
    });
    options.onBatch?.(plan[k]!.length);
  };
  let taken = 0;
  // One lane per batch the runner can take at once; each builds its next batch while its current one
  // runs (folderRunner's sessions run in their own threads, thread-session.ts). A run takes the padded
  // tensors' buffers with it, so only the shape is read after it starts.
  const lane = async () => {
    let k = taken < plan.length ? taken++ : -1;
    let batch = k >= 0 ? pad(k) : null;
    while (k >= 0) {
      const running = session.run(batch!);
      const k2 = taken < plan.length ? taken++ : -1;
      const next = k2 >= 0 ? pad(k2) : null;
      collect(k, batch!, await running);
      k = k2;
      batch = next;
    }
  };
  const lanes = Math.max(1, Math.min(session.concurrency ?? 1, plan.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return out;
}
