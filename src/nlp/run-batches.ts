/**
 * Runs many token-id sequences through a session: sorted by length so each batch pads little,
 * padded to the batch's longest, output shapes checked, results returned in input order.
 *
 *   const rows = await runBatches(session, seqs, { batchSize: 32, padId: 0, width: 13, perToken: true });
 *   rows[i]  // Float32Array [seqs[i].length × 13] (NER) or [13] (RE)
 */
import { LitmineError } from '../errors.js';
import type { OutputTensor, PaddedBatch } from './onnx-session.js';

export interface BatchRunner {
  readonly path: string;
  run(batch: PaddedBatch): Promise<OutputTensor>;
}

export interface RunBatchesOptions {
  batchSize: number;
  padId: number;
  /** Labels per output row. */
  width: number;
  /** true: logits [B, S, L] (token classification); false: [B, L] (sequence classification). */
  perToken: boolean;
  /** Called after each batch with the number of sequences done in it. */
  onBatch?: (sequences: number) => void;
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
  const order = seqs.map((_, i) => i).sort((a, b) => seqs[a]!.length - seqs[b]!.length);
  const out = new Array<Float32Array>(seqs.length);
  const { width } = options;
  for (let at = 0; at < order.length; at += options.batchSize) {
    const idx = order.slice(at, at + options.batchSize);
    const batch = padBatch(
      idx.map((i) => seqs[i]!),
      options.padId,
    );
    const { data, dims } = await session.run(batch);
    const expected = options.perToken ? [batch.batch, batch.seq, width] : [batch.batch, width];
    if (dims.length !== expected.length || dims.some((d, k) => d !== expected[k])) {
      throw new LitmineError(
        'LITMINE_MODEL_SHAPE',
        `${session.path}: logits shape [${dims.join(', ')}], expected [${expected.join(', ')}]`,
      );
    }
    idx.forEach((i, b) => {
      if (options.perToken) {
        const len = seqs[i]!.length;
        out[i] = data.slice(b * batch.seq * width, (b * batch.seq + len) * width);
      } else {
        out[i] = data.slice(b * width, (b + 1) * width);
      }
    });
    options.onBatch?.(idx.length);
  }
  return out;
}
