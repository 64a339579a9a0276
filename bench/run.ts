/**
 * `npm run bench`: NER throughput (sentences/s) and peak memory (RSS) of litmine's ONNX annotator,
 * beside the same model and sentences through transformers.js's token-classification pipeline, in
 * the same run and on the same machine. Each engine runs in its own child process so that peak RSS
 * is its own. Sentences are real ones (BC5CDR test abstracts, segmented), read in place.
 *
 * Further --model folders (e.g. a dynamic-int8 export of the same weights) run through litmine only,
 * in the same run, so variants of one model compare on the same sentences.
 *
 *   npm run bench -- --sentences 400 --batch 32 --threads 2 [--model DIR [--model DIR2 …]]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.LITMINE_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
const GOLDEN = process.env.LITMINE_SHARED_GOLDEN ?? resolve(SHARED, '..', 'golden');

interface Result {
  engine: string;
  sentences: number;
  seconds: number;
  perSecond: number;
  peakRssMB: number;
  mentions: number;
}

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    model: { type: 'string', multiple: true },
    input: { type: 'string' },
    sentences: { type: 'string', default: '400' },
    batch: { type: 'string', default: '32' },
    threads: { type: 'string', default: '2' },
  },
});

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Real sentences: BC5CDR test titles and abstracts, cut by litmine's segmenter. */
async function loadSentences(n: number): Promise<string[] | null> {
  const file = join(SHARED, 'bc5cdr-pubtator', 'CDR_TestSet.PubTator.txt');
  if (!existsSync(file)) return null;
  const { segmentSentences } = await import('../src/text/segment-sentences.js');
  const out: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\d+\|[ta]\|(.*)$/.exec(line);
    if (!m) continue;
    for (const s of segmentSentences(m[1]!)) {
      out.push(m[1]!.slice(s.start, s.end));
      if (out.length >= n) return out;
    }
  }
  return out;
}

/** transformers.js wants tokenizer.json + onnx/model_quantized.onnx: link our files into that layout. */
function transformersLayout(modelDir: string): { root: string; name: string } | string {
  const root = mkdtempSync(join(tmpdir(), 'litmine-bench-'));
  const dir = join(root, 'litmine-ner');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  symlinkSync(join(modelDir, 'model.onnx'), join(dir, 'onnx', 'model_quantized.onnx'));
  symlinkSync(join(modelDir, 'config.json'), join(dir, 'config.json'));
  let tokenizerJson = join(modelDir, 'tokenizer.json');
  if (!existsSync(tokenizerJson)) {
    const golden = join(GOLDEN, 'bert-base-uncased.tokenizer.json');
    const vocab = join(SHARED, 'bert-vocab', 'bert-base-uncased-vocab.txt');
    if (!existsSync(golden) || !existsSync(vocab) || sha(vocab) !== sha(join(modelDir, 'vocab.txt'))) {
      return 'the model has no tokenizer.json and its vocab.txt is not bert-base-uncased';
    }
    tokenizerJson = golden;
  }
  symlinkSync(tokenizerJson, join(dir, 'tokenizer.json'));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      mask_token: '[MASK]',
    }),
  );
  return { root, name: 'litmine-ner' };
}

async function child(engine: string, modelDir: string, sentences: string[], batch: number, threads: number): Promise<Result> {
  let run: (chunk: string[]) => Promise<number>;
  if (engine === 'litmine') {
    const { createOnnxAnnotator } = await import('../src/nlp/onnx-annotator.js');
    const a = await createOnnxAnnotator({
      nerDir: modelDir,
      reDir: null,
      executionProvider: 'cpu',
      intraOpThreads: threads,
      batchSize: batch,
    });
    run = async (chunk) => (await a.annotate(chunk.map((text) => ({ text })))).reduce((n, r) => n + r.mentions.length, 0);
  } else {
    const layout = transformersLayout(modelDir);
    if (typeof layout === 'string') throw new Error(layout);
    const { pipeline, env } = await import('@huggingface/transformers');
    const { loadModelFolder } = await import('../src/nlp/model-folder.js');
    const { extraOptions } = await import('../src/nlp/onnx-session.js');
    // The same session config litmine applies (weight-only int8 folds its DequantizeLinear nodes at load).
    const sessionConfig = loadModelFolder(modelDir).sessionConfig;
    env.allowRemoteModels = false;
    env.localModelPath = `${layout.root}/`;
    const ner = await pipeline('token-classification', layout.name, {
      dtype: 'q8',
      device: 'cpu',
      session_options: {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        ...(Object.keys(sessionConfig).length ? { extra: extraOptions(sessionConfig) } : {}),
      },
    });
    run = async (chunk) => {
      const out = (await ner(chunk)) as unknown as unknown[][];
      // Entities per token (the pipeline does not group B/I into mentions): count B- tokens.
      return out.flat().filter((e) => String((e as { entity: string }).entity).startsWith('B-')).length;
    };
  }
  // Warm-up (first-run allocations and graph caches), not timed.
  await run(sentences.slice(0, batch));
  const started = performance.now();
  let mentions = 0;
  // The annotate stage hands the model a batch of sentences at a time; both engines get the same.
  for (let i = 0; i < sentences.length; i += batch) mentions += await run(sentences.slice(i, i + batch));
  const seconds = (performance.now() - started) / 1000;
  return {
    engine,
    sentences: sentences.length,
    seconds,
    perSecond: sentences.length / seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    mentions,
  };
}

async function main(): Promise<void> {
  const batch = Number(values.batch);
  const threads = Number(values.threads);
  if (values.child) {
    const sentences = JSON.parse(readFileSync(values.input!, 'utf8')) as string[];
    const r = await child(values.child, resolve(values.model![0]!), sentences, batch, threads);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const sentences = await loadSentences(Number(values.sentences));
  if (!sentences) {
    console.log(`bench: skipped — the shared data (${SHARED}) is absent`);
    return;
  }
  const modelDirs = (values.model ?? [join(ROOT, 'models', 'ner')]).map((d) => resolve(d));
  const { loadModelFolder } = await import('../src/nlp/model-folder.js');
  const folders = modelDirs.map((d) => loadModelFolder(d));
  const input = join(mkdtempSync(join(tmpdir(), 'litmine-bench-')), 'sentences.json');
  writeFileSync(input, JSON.stringify(sentences));
  const results: Result[] = [];
  const runs = [
    ...modelDirs.map((dir, i) => ({ engine: 'litmine', dir, label: i === 0 ? 'litmine' : `litmine ${basename(dir)}` })),
    { engine: 'transformers.js', dir: modelDirs[0]!, label: 'transformers.js' },
  ];
  for (const { engine, dir, label } of runs) {
    const args = [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      engine,
      '--model',
      dir,
      '--input',
      input,
      '--batch',
      String(batch),
      '--threads',
      String(threads),
    ];
    const p = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = p.stdout.trim().split('\n').at(-1) ?? '';
    if (p.status !== 0 || !line.startsWith('{')) {
      console.log(`bench: ${label} failed: ${(p.stderr || p.stdout).trim().split('\n').slice(-3).join(' | ')}`);
      continue;
    }
    results.push({ ...(JSON.parse(line) as Result), engine: label });
  }
  rmSync(dirname(input), { recursive: true, force: true });
  const peer = results.find((r) => r.engine === 'transformers.js');
  const cpu = cpus();
  const ortVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version;
  console.log(
    `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} logical cores; node ${process.version}; onnxruntime-node ${ortVersion}`,
  );
  for (const f of folders) {
    const manifest = join(f.dir, 'manifest.json');
    const quant = existsSync(manifest)
      ? (JSON.parse(readFileSync(manifest, 'utf8')) as { quantization?: { method?: string } }).quantization
      : undefined;
    console.log(`model:   ${f.dir} (${f.ref.name} ${f.ref.version}, ${f.labels.length} labels; ${quant?.method ?? 'no manifest'})`);
  }
  console.log(
    `input:   ${sentences.length} BC5CDR test sentences, batches of ${batch}, ${threads} intra-op threads, 1 warm-up batch untimed`,
  );
  console.log('');
  console.log('engine                  sentences/s   vs transformers.js   peak RSS (MB)   vs transformers.js   B- tags/mentions');
  for (const r of results) {
    const speed = peer ? `${(r.perSecond / peer.perSecond).toFixed(2)}x` : 'n/a';
    const mem = peer ? `${(r.peakRssMB / peer.peakRssMB).toFixed(2)}x` : 'n/a';
    console.log(
      `${r.engine.padEnd(23)} ${r.perSecond.toFixed(1).padStart(11)}   ${speed.padStart(18)}   ${r.peakRssMB.toFixed(0).padStart(13)}   ${mem.padStart(18)}   ${String(r.mentions).padStart(16)}`,
    );
  }
}

await main();
