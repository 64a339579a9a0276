/**
 * A relation-classification model behind one session: masked sentences in, for each the label
 * chosen among those allowed for its pair type (other logits masked out before the softmax) and
 * its probability. Inputs longer than the model takes are truncated (a masked pair is one input).
 *
 *   const [r] = await rc.classify([{ text: '@CHEMICAL$ inhibits @GENE$.', key: 'Chemical|Gene' }]);
 *   r // { label: 'CPR:4', score: 0.93, probs: Float32Array }
 */
import { LitmineError } from '../errors.js';
import { type ModelFolder, loadModelFolder } from './model-folder.js';
import { folderRunner } from './session-pool.js';
import { type BatchPlanOptions, type BatchRunner, DEFAULT_TOKEN_BUDGET, runBatches } from './run-batches.js';
import type { ClassifierOptions } from './token-classifier.js';

export interface RelationInput {
  /** The sentence with both mentions masked. */
  text: string;
  /** "SubjectType|ObjectType"; null allows every label. */
  key: string | null;
}

export interface RelationResult {
  label: string;
  score: number;
  /** Softmax over the allowed labels (0 elsewhere). */
  probs: Float32Array;
}

export class RelationClassifier {
  constructor(
    readonly folder: ModelFolder,
    readonly session: BatchRunner & { close?(): Promise<void> },
    private readonly plan: BatchPlanOptions,
  ) {
    if (folder.task !== 'relation-classification') {
      throw new LitmineError('LITMINE_MODEL_LOAD', `${folder.dir}: a ${folder.task} model, expected relation-classification`);
    }
  }

  static async create(dir: string, options: ClassifierOptions): Promise<RelationClassifier> {
    const folder = loadModelFolder(dir);
    const session = await folderRunner(folder, options);
    return new RelationClassifier(folder, session, {
      batchSize: options.batchSize,
      tokenBudget: options.tokenBudget ?? DEFAULT_TOKEN_BUDGET,
    });
  }

  get negativeLabel(): string {
    return this.folder.negativeLabel ?? 'false';
  }

  /**
   * [CLS] pieces [SEP]; a sentence longer than the model keeps the window of pieces that holds both
   * masks, centred on them as training did (models/train/train_re.py encode_re), so a pair far into a
   * long sentence is still seen. A mask is found by its own pieces: `@GENE$` is `@ gene $` in an
   * uncased vocabulary and `@ GE ##NE $` in a cased one.
   */
  encode(text: string): number[] {
    const tok = this.folder.tokenizer;
    const { cls, sep } = tok.specials;
    const ids = tok.encode(text, { addSpecialTokens: false }).ids;
    const budget = this.folder.maxLength - 2;
    let start = 0;
    if (ids.length > budget) {
      const spans = this.maskSpans(ids);
      if (spans.length > 0) {
        const lo = spans[0]![0];
        const hi = spans.at(-1)![1];
        start = hi - lo >= budget ? lo : Math.max(0, Math.min(lo - Math.floor((budget - (hi - lo)) / 2), ids.length - budget));
      }
    }
    return [cls, ...ids.slice(start, start + budget), sep];
  }

  private maskPieceCache: number[][] | undefined;

  /** [start, end) of every entity mask's pieces in ids. */
  private maskSpans(ids: readonly number[]): [number, number][] {
    const tok = this.folder.tokenizer;
    this.maskPieceCache ??= Object.values(this.folder.entityMasks ?? {}).map((m) => tok.encode(m, { addSpecialTokens: false }).ids);
    const spans: [number, number][] = [];
    for (let i = 0; i < ids.length; i++) {
      const m = this.maskPieceCache.find((p) => p.every((x, k) => ids[i + k] === x));
      if (m) spans.push([i, i + m.length]);
    }
    return spans;
  }

  async classify(inputs: readonly RelationInput[], onBatch?: (n: number) => void): Promise<RelationResult[]> {
    const labels = this.folder.labels;
    const width = labels.length;
    const rows = await runBatches(
      this.session,
      inputs.map((i) => this.encode(i.text)),
      { ...this.plan, padId: this.folder.tokenizer.specials.pad, width, perToken: false, onBatch },
    );
    return rows.map((row, i) => {
      const key = inputs[i]!.key;
      const allowedNames = key === null ? labels : this.folder.pairLabels?.[key];
      if (!allowedNames) throw new LitmineError('LITMINE_ANNOTATE', `${this.folder.dir}: no labels for pair type ${key}`);
      const allowed = new Set(allowedNames);
      let max = -Infinity;
      for (let k = 0; k < width; k++) if (allowed.has(labels[k]!)) max = Math.max(max, row[k]!);
      const probs = new Float32Array(width);
      let sum = 0;
      for (let k = 0; k < width; k++) {
        if (!allowed.has(labels[k]!)) continue;
        probs[k] = Math.exp(row[k]! - max);
        sum += probs[k]!;
      }
      let best = -1;
      for (let k = 0; k < width; k++) {
        probs[k]! /= sum;
        if (allowed.has(labels[k]!) && (best < 0 || probs[k]! > probs[best]!)) best = k;
      }
      return { label: labels[best]!, score: probs[best]!, probs };
    });
  }

  async close(): Promise<void> {
    await this.session.close?.();
  }
}
