/**
 * The engines `npm run bench` compares, each run in its own child process (bench/run.ts) so that its
 * peak RSS is its own: litmine's annotator, the transformers.js token-classification pipeline on a
 * Hugging Face optimum export of the same weights, and the bare onnxruntime-node session on
 * litmine's file with length-sorted batches (tokenised beforehand, untimed: an upper bound).
 *
 *   const r = await runEngine('litmine', { modelDir: 'models/ner', sentences, threads: 2, batch: 64 });
 */
import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EngineResult {
  engine: string;
  sentences: number;
  seconds: number;
  perSecond: number;
  peakRssMB: number;
  /** Mentions (litmine), B- tags (transformers.js) or argmax tokens not O (bare). */
  found: number;
}

export interface EngineOptions {
  modelDir: string;
  sentences: string[];
  threads: number;
  /** litmine/bare: most rows per batch; transformers.js: sentences per pipeline call. */
  batch: number;
  tokenBudget: number;
  /** litmine: sentences of each annotate() call in turn (the annotate stage hands it a batch of articles). */
  chunks: number[];
  sessions: number;
}

/** Runs the sentences; returns what it found and the seconds of its timed part. */
type Runner = (sentences: string[]) => Promise<{ found: number; seconds: number }>;

async function timed(fn: () => Promise<number>): Promise<{ found: number; seconds: number }> {
  const started = performance.now();
  const found = await fn();
  return { found, seconds: (performance.now() - started) / 1000 };
}

async function litmine(o: EngineOptions): Promise<Runner> {
  const { createOnnxAnnotator } = await import('../src/nlp/onnx-annotator.js');
  const a = await createOnnxAnnotator({
    nerDir: o.modelDir,
    reDir: null,
    executionProvider: 'cpu',
    intraOpThreads: o.threads,
    batchSize: o.batch,
    tokenBudget: o.tokenBudget,
    sessions: o.sessions,
  });
  return (sentences) =>
    timed(async () => {
      let n = 0;
      for (let i = 0, k = 0; i < sentences.length; k++) {
        const size = o.chunks[k % o.chunks.length]!;
        const out = await a.annotate(sentences.slice(i, i + size).map((text) => ({ text })));
        n += out.reduce((m, r) => m + r.mentions.length, 0);
        i += size;
      }
      return n;
    });
}

/** transformers.js wants <name>/onnx/model_quantized.onnx beside tokenizer.json and config.json. */
function transformersLayout(optimumDir: string): { root: string; name: string } {
  const root = mkdtempSync(join(tmpdir(), 'litmine-bench-'));
  const dir = join(root, 'optimum-ner');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  symlinkSync(join(optimumDir, 'model_quantized.onnx'), join(dir, 'onnx', 'model_quantized.onnx'));
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
    if (existsSync(join(optimumDir, f))) symlinkSync(join(optimumDir, f), join(dir, f));
  }
  return { root, name: 'optimum-ner' };
}

async function transformersJs(o: EngineOptions): Promise<Runner> {
  const layout = transformersLayout(o.modelDir);
  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = `${layout.root}/`;
  const ner = await pipeline('token-classification', layout.name, {
    dtype: 'q8',
    device: 'cpu',
    session_options: { intraOpNumThreads: o.threads, interOpNumThreads: 1 },
  });
  return (sentences) =>
    timed(async () => {
      let n = 0;
      for (let i = 0; i < sentences.length; i += o.batch) {
        const chunk = sentences.slice(i, i + o.batch);
        const out = (await ner(chunk.length === 1 ? chunk[0]! : chunk)) as unknown[];
        const rows = (chunk.length === 1 ? [out] : out) as { entity: string }[][];
        // Entities per token (the pipeline does not group B/I into mentions): count B- tokens.
        n += rows.flat().filter((e) => e.entity.startsWith('B-')).length;
      }
      return n;
    });
}

async function bare(o: EngineOptions): Promise<Runner> {
  const ort = await import('onnxruntime-node');
  const { loadModelFolder } = await import('../src/nlp/model-folder.js');
  const { extraOptions } = await import('../src/nlp/onnx-session.js');
  const { padBatch, planBatches } = await import('../src/nlp/run-batches.js');
  const folder = loadModelFolder(o.modelDir);
  const { cls, sep, pad } = folder.tokenizer.specials;
  const session = await ort.InferenceSession.create(folder.modelPath, {
    intraOpNumThreads: o.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    executionProviders: ['cpu'],
    ...(Object.keys(folder.sessionConfig).length ? { extra: extraOptions(folder.sessionConfig) } : {}),
  });
  const w = folder.labels.length;
  return async (sentences) => {
    // Tokenised and planned before the clock starts: the model alone.
    const seqs = sentences.map((s) => [
      cls,
      ...folder.tokenizer.encode(s, { addSpecialTokens: false }).ids.slice(0, folder.maxLength - 2),
      sep,
    ]);
    const plan = planBatches(
      seqs.map((s) => s.length),
      { batchSize: o.batch, tokenBudget: o.tokenBudget },
    );
    return timed(async () => {
      let n = 0;
      for (const idx of plan) {
        const b = padBatch(
          idx.map((i) => seqs[i]!),
          pad,
        );
        const dims = [b.batch, b.seq];
        const out = await session.run({
          input_ids: new ort.Tensor('int64', b.inputIds, dims),
          attention_mask: new ort.Tensor('int64', b.attentionMask, dims),
          token_type_ids: new ort.Tensor('int64', b.tokenTypeIds, dims),
        });
        const logits = out.logits!.data as Float32Array;
        for (let r = 0; r < logits.length / w; r++) {
          let best = 0;
          for (let k = 1; k < w; k++) if (logits[r * w + k]! > logits[r * w + best]!) best = k;
          if (best !== 0) n++;
        }
      }
      return n;
    });
  };
}

const ENGINES: Record<string, (o: EngineOptions) => Promise<Runner>> = { litmine, 'transformers.js': transformersJs, bare };

export async function runEngine(engine: string, o: EngineOptions): Promise<EngineResult> {
  const make = ENGINES[engine];
  if (!make) throw new Error(`unknown engine ${engine}`);
  const run = await make(o);
  await run(o.sentences.slice(0, 64)); // first-run allocations and graph caches, untimed
  const { found, seconds } = await run(o.sentences);
  return {
    engine,
    sentences: o.sentences.length,
    seconds,
    perSecond: o.sentences.length / seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    found,
  };
}
