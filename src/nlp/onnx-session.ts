/**
 * Every onnxruntime-node call litmine makes lives in this file: one inference session per model
 * folder, run on padded int64 batches. CUDA is asked for only when configured, and falls back to
 * the CPU with a warning where the CUDA libraries are absent. On CUDA the logits come back through
 * onnxruntime's IO binding into page-locked host memory (`preferredOutputLocation: 'cpu-pinned'`,
 * the binding onnxruntime-node exposes; inputs are copied per batch, which large token-budget
 * batches amortise).
 *
 *   const s = await OnnxSession.create('models/ner/model.onnx', { executionProvider: 'cpu', intraOpThreads: 2 });
 *   const { data, dims } = await s.run(batch);  // dims [B, S, L]
 */
import * as ort from 'onnxruntime-node';
import { LitmineError } from '../errors.js';

export interface OnnxSessionOptions {
  executionProvider: 'cpu' | 'cuda';
  /** Threads inside one operator; 0 lets onnxruntime choose. */
  intraOpThreads: number;
  onWarning?: (message: string) => void;
  /** Session config entries such as `session.disable_quant_qdq` (see onnxruntime_session_options_config_keys.h). */
  sessionConfig?: Readonly<Record<string, string>>;
}

/** `{ "session.a": "1" }` → `{ session: { a: "1" } }`, the shape onnxruntime-node's `extra` takes. */
export function extraOptions(entries: Readonly<Record<string, string>>): Record<string, Record<string, string>> {
  const extra: Record<string, Record<string, string>> = {};
  for (const [key, value] of Object.entries(entries)) {
    const dot = key.indexOf('.');
    const section = key.slice(0, dot);
    extra[section] = { ...extra[section], [key.slice(dot + 1)]: value };
  }
  return extra;
}

/** A padded batch: row-major [batch, seq]. */
export interface PaddedBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  batch: number;
  seq: number;
}

export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

export class OnnxSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
    /** The provider actually in use. */
    readonly executionProvider: 'cpu' | 'cuda',
  ) {}

  static async create(path: string, options: OnnxSessionOptions): Promise<OnnxSession> {
    const base: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.intraOpThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      ...(options.sessionConfig && Object.keys(options.sessionConfig).length ? { extra: extraOptions(options.sessionConfig) } : {}),
    };
    if (options.executionProvider === 'cuda') {
      try {
        const session = await ort.InferenceSession.create(path, {
          ...base,
          executionProviders: ['cuda', 'cpu'],
          preferredOutputLocation: 'cpu-pinned',
        });
        return new OnnxSession(session, path, 'cuda');
      } catch (err) {
        const warn = options.onWarning ?? ((m: string) => process.emitWarning(m));
        warn(`${path}: CUDA execution provider unavailable (${(err as Error).message.split('\n')[0]}); using the CPU`);
      }
    }
    try {
      const session = await ort.InferenceSession.create(path, { ...base, executionProviders: ['cpu'] });
      return new OnnxSession(session, path, 'cpu');
    } catch (err) {
      throw new LitmineError('LITMINE_MODEL_LOAD', `${path}: onnxruntime could not load the model: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  /** Runs one batch and returns the `logits` output (or the first output). */
  async run(batch: PaddedBatch): Promise<OutputTensor> {
    const dims = [batch.batch, batch.seq];
    const all: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', batch.inputIds, dims),
      attention_mask: new ort.Tensor('int64', batch.attentionMask, dims),
      token_type_ids: new ort.Tensor('int64', batch.tokenTypeIds, dims),
    };
    // Some exports (DistilBERT-style, or optimum without token types) take fewer inputs.
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      const t = all[name];
      if (!t) throw new LitmineError('LITMINE_MODEL_SHAPE', `${this.path}: unexpected model input "${name}"`);
      feeds[name] = t;
    }
    const outName = this.session.outputNames.includes('logits') ? 'logits' : this.session.outputNames[0]!;
    const results = await this.session.run(feeds, [outName]);
    const out = results[outName];
    if (out?.type !== 'float32') {
      throw new LitmineError('LITMINE_MODEL_SHAPE', `${this.path}: output "${outName}" is ${out?.type ?? 'missing'}, expected float32`);
    }
    const data = out.data as Float32Array;
    out.dispose?.();
    for (const t of Object.values(all)) t.dispose?.();
    return { data, dims: out.dims };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
