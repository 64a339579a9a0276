/**
 * A token-classification model (NER) behind one session: takes tokenised sentences without
 * specials, wraps each window in [CLS] … [SEP], batches across sentences, and returns per-token
 * logits aligned to the input tokens (windows merged where a sentence is too long).
 *
 *   const tc = await TokenClassifier.create('models/ner', { executionProvider: 'cpu', intraOpThreads: 2, batchSize: 64, tokenBudget: 4096 });
 *   const [rows] = await tc.logits([tc.folder.tokenizer.encode(text, { addSpecialTokens: false }).ids]);
 */
import { LitmineError } from '../errors.js';
import { type ModelFolder, loadModelFolder } from './model-folder.js';
import type { OnnxSessionOptions } from './onnx-session.js';
import { folderRunner } from './session-pool.js';
import { type BatchPlanOptions, type BatchRunner, DEFAULT_TOKEN_BUDGET, runBatches } from './run-batches.js';
import { mergeWindows, planWindows } from './windows.js';

export interface ClassifierOptions extends OnnxSessionOptions {
  /** Most sequences in one model call. */
  batchSize: number;
  /** Most padded tokens in one model call (default DEFAULT_TOKEN_BUDGET). */
  tokenBudget?: number;
  /** Sessions of the model run concurrently (session-pool.ts); default 1. */
  sessions?: number;
  /** Tokens shared by consecutive windows of a long sentence (clamped to half a window). */
  overlap?: number;
}

export class TokenClassifier {
  readonly overlap: number;

  constructor(
    readonly folder: ModelFolder,
    readonly session: BatchRunner & { close?(): Promise<void> },
    private readonly plan: BatchPlanOptions,
    overlap = 128,
  ) {
    if (folder.task !== 'token-classification') {
      throw new LitmineError('LITMINE_MODEL_LOAD', `${folder.dir}: a ${folder.task} model, expected token-classification`);
    }
    this.overlap = Math.min(overlap, Math.floor((folder.maxLength - 2) / 2));
  }

  static async create(dir: string, options: ClassifierOptions): Promise<TokenClassifier> {
    const folder = loadModelFolder(dir);
    const session = await folderRunner(folder, options);
    return new TokenClassifier(
      folder,
      session,
      { batchSize: options.batchSize, tokenBudget: options.tokenBudget ?? DEFAULT_TOKEN_BUDGET },
      options.overlap,
    );
  }

  get width(): number {
    return this.folder.labels.length;
  }

  /** Per sentence, logits [tokens × labels] row-major for its (special-free) token ids. */
  async logits(sentences: readonly (readonly number[])[], onBatch?: (n: number) => void): Promise<Float32Array[]> {
    const { cls, sep } = this.folder.tokenizer.specials;
    const budget = this.folder.maxLength - 2;
    const seqs: number[][] = [];
    const plans = sentences.map((ids) => {
      const windows = planWindows(ids.length, budget, this.overlap);
      const first = seqs.length;
      for (const [s, e] of windows) seqs.push([cls, ...ids.slice(s, e), sep]);
      return { windows, first };
    });
    const rows = await runBatches(this.session, seqs, {
      ...this.plan,
      padId: this.folder.tokenizer.specials.pad,
      width: this.width,
      perToken: true,
      onBatch,
    });
    const w = this.width;
    return plans.map(({ windows, first }, i) => {
      const n = sentences[i]!.length;
      // Drop each window's [CLS] and [SEP] rows.
      const inner = windows.map((_, k) => rows[first + k]!.subarray(w, rows[first + k]!.length - w));
      return windows.length === 1 ? inner[0]!.slice() : mergeWindows(n, w, windows, inner);
    });
  }

  async close(): Promise<void> {
    await this.session.close?.();
  }
}
