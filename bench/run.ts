/**
 * `npm run bench`: NER throughput (sentences/s) and peak RSS of (a) litmine's annotator on the
 * committed model, (b) the transformers.js token-classification pipeline on the export a user would
 * make of the same weights with Hugging Face optimum (model_quantized.onnx, dynamic int8), (c) the
 * bare onnxruntime-node session on litmine's file with length-sorted batches, all on the same real
 * sentences (BC5CDR test abstracts, segmented) in one run; then (d) the whole `litmine run` on the
 * README's data, per stage. Engines run in their own child processes (bench/engines.ts).
 *
 *   npm run bench -- [--sentences 1000] [--threads 2] [--sessions 2] [--rounds 2] [--run-from DIR …|--no-run] [--json]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type EngineOptions, type EngineResult, runEngine } from './engines.js';
import { ANNOTATE_BATCH } from '../topologies/annotate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.LITMINE_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
/** The README's first command. */
const README_DATA = ['pubmed-xml-more', 'pmc-jats-more'].map((d) => join(SHARED, d));

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    input: { type: 'string' },
    model: { type: 'string', default: join(ROOT, 'models', 'ner') },
    optimum: { type: 'string', default: join(ROOT, 'models', 'build', 'ner-optimum') },
    sentences: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '64' },
    'token-budget': { type: 'string', default: '4096' },
    // Sentences per annotate() call; default: those of ANNOTATE_BATCH.maxMessages documents, as the stage batches.
    chunk: { type: 'string' },
    'peer-batch': { type: 'string', default: '1,32' },
    threads: { type: 'string', default: '2' },
    sessions: { type: 'string', default: '1' },
    'run-from': { type: 'string', multiple: true },
    'no-run': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
});

/** Real sentences: BC5CDR test titles and abstracts, cut by litmine's segmenter; and how many each document has. */
async function loadSentences(n: number): Promise<{ sentences: string[]; perDocument: number[] } | null> {
  const file = join(SHARED, 'bc5cdr-pubtator', 'CDR_TestSet.PubTator.txt');
  if (!existsSync(file)) return null;
  const { segmentSentences } = await import('../src/text/segment-sentences.js');
  const sentences: string[] = [];
  const perDocument: number[] = [];
  let doc = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d+)\|[ta]\|(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] !== doc) {
      doc = m[1]!;
      perDocument.push(0);
    }
    for (const s of segmentSentences(m[2]!)) {
      sentences.push(m[2]!.slice(s.start, s.end));
      perDocument[perDocument.length - 1]!++;
      if (sentences.length >= n) return { sentences, perDocument };
    }
  }
  return { sentences, perDocument };
}

/** Sentences per annotate() call when the stage takes `perBatch` documents at a time. */
function stageChunks(perDocument: readonly number[], perBatch: number): number[] {
  const chunks: number[] = [];
  for (let i = 0; i < perDocument.length; i += perBatch) {
    chunks.push(perDocument.slice(i, i + perBatch).reduce((a, b) => a + b, 0));
  }
  return chunks;
}

interface Row extends EngineResult {
  label: string;
}

function runChild(label: string, engine: string, options: Omit<EngineOptions, 'sentences'>, input: string): Row | string {
  const opts = join(dirname(input), `${engine}-${Date.now()}.json`);
  writeFileSync(opts, JSON.stringify(options));
  const p = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', opts, '--input', input], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, ENGINE: engine },
  });
  const line = p.stdout.trim().split('\n').at(-1) ?? '';
  if (p.status !== 0 || !line.startsWith('{')) return `${label} failed: ${(p.stderr || p.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  return { ...(JSON.parse(line) as EngineResult), label };
}

interface StageRun {
  from: string[];
  articles: number;
  sentences: number;
  seconds: { ingest: number; annotate: number; index: number; total: number };
  sentencesPerSecondAnnotate: number;
}

/** (d): `litmine run --from …` into a fresh data folder; the command's own per-stage seconds. */
function litmineRun(from: string[]): StageRun | string {
  const dataDir = mkdtempSync(join(tmpdir(), 'litmine-bench-run-'));
  const args = [join(ROOT, 'bin', 'litmine.js'), 'run', ...from.flatMap((f) => ['--from', f]), '--json'];
  const started = performance.now();
  const p = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    cwd: dataDir,
    env: { ...process.env, LITMINE_DATA_DIR: dataDir },
  });
  const total = (performance.now() - started) / 1000;
  rmSync(dataDir, { recursive: true, force: true });
  const text = p.stdout.slice(p.stdout.indexOf('{'));
  if (p.status !== 0 || !text.startsWith('{'))
    return `litmine run failed: ${(p.stderr || p.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  const r = JSON.parse(text) as {
    annotate: { articles: number };
    counts: { sentences: number };
    seconds: { ingest: number; annotate: number; index: number };
  };
  return {
    from: from.map((f) => f.replace(`${SHARED}/`, '')),
    articles: r.annotate.articles,
    sentences: r.counts.sentences,
    seconds: { ...r.seconds, total },
    sentencesPerSecondAnnotate: r.counts.sentences / r.seconds.annotate,
  };
}

async function main(): Promise<void> {
  if (values.child) {
    const options = JSON.parse(readFileSync(values.child, 'utf8')) as EngineOptions;
    const sentences = JSON.parse(readFileSync(values.input!, 'utf8')) as string[];
    const r = await runEngine(process.env.ENGINE!, { ...options, sentences });
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const loaded = await loadSentences(Number(values.sentences));
  if (!loaded) {
    console.log(`bench: skipped — the shared data (${SHARED}) is absent`);
    return;
  }
  const { sentences } = loaded;
  const threads = Number(values.threads);
  // The litmine engine takes the sizes in turn, so one fixed size is a list of one.
  const chunks = values.chunk ? [Number(values.chunk)] : stageChunks(loaded.perDocument, ANNOTATE_BATCH.maxMessages);
  const base = {
    modelDir: resolve(values.model),
    threads,
    batch: Number(values.batch),
    tokenBudget: Number(values['token-budget']),
    chunks,
    sessions: 1,
  };
  const sessions = Number(values.sessions);
  const litmineDefault = { ...base, threads: Math.max(1, Math.floor(threads / sessions)), sessions };
  const input = join(mkdtempSync(join(tmpdir(), 'litmine-bench-')), 'sentences.json');
  writeFileSync(input, JSON.stringify(sentences));
  const rows: Row[] = [];
  const failures: string[] = [];
  // Engines alternate over several rounds and each keeps its best: on a shared machine a load spike
  // then cannot land on one engine only.
  const add = (r: Row | string) => {
    if (typeof r === 'string') return failures.includes(r) ? undefined : failures.push(r);
    const prev = rows.findIndex((x) => x.label === r.label);
    if (prev < 0) rows.push(r);
    else if (r.perSecond > rows[prev]!.perSecond) rows[prev] = { ...r, peakRssMB: Math.max(r.peakRssMB, rows[prev]!.peakRssMB) };
  };
  const optimum = resolve(values.optimum);
  for (let round = 0; round < Number(values.rounds); round++) {
    // (a) litmine's defaults (--sessions 1); (a′) the same threads as that many single-thread sessions.
    add(runChild('(a) litmine', 'litmine', litmineDefault, input));
    if (existsSync(join(optimum, 'model_quantized.onnx'))) {
      for (const b of values['peer-batch'].split(',').map(Number)) {
        add(runChild(`(b) transformers.js, batch ${b}`, 'transformers.js', { ...base, modelDir: optimum, batch: b }, input));
      }
    } else {
      add(`(b) skipped: no ${optimum}/model_quantized.onnx (make it with bash models/train/optimum_export.sh)`);
    }
    add(runChild('(c) bare onnxruntime', 'bare', base, input));
    if (sessions === 1 && threads > 1) {
      // The scaling figure: the same cores as intra-op threads or as sessions, against one core.
      add(runChild(`(a′) litmine, ${threads} sessions × 1 thread`, 'litmine', { ...base, threads: 1, sessions: threads }, input));
      add(runChild('(a1) litmine, 1 session × 1 thread', 'litmine', { ...base, threads: 1, sessions: 1 }, input));
    }
  }
  rmSync(dirname(input), { recursive: true, force: true });

  const from = values['run-from']?.map((f) => resolve(f)) ?? README_DATA;
  const stage = values['no-run'] ? null : litmineRun(from);
  if (typeof stage === 'string') failures.push(stage);

  const a = rows.find((r) => r.label === '(a) litmine');
  const peers = rows.filter((r) => r.label.startsWith('(b)'));
  const b = peers.length ? peers.reduce((x, y) => (y.perSecond > x.perSecond ? y : x)) : undefined;
  const c = rows.find((r) => r.label.startsWith('(c)'));
  const aSessions = rows.find((r) => r.label.startsWith('(a′)'));
  const aOne = rows.find((r) => r.label.startsWith('(a1)'));
  const cpu = cpus();
  const ortVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version;
  const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} logical cores; node ${process.version}; onnxruntime-node ${ortVersion}`;
  const manifest = join(base.modelDir, 'manifest.json');
  const quant = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { quantization?: { method?: string } }).quantization
    : undefined;
  const summary = {
    machine,
    model: `${base.modelDir} (${quant?.method ?? 'no manifest'})`,
    optimumExport: optimum,
    input: `${sentences.length} BC5CDR test sentences; litmine: annotate() calls of ${values.chunk ? `${values.chunk}` : `${chunks.join(', ')} (the sentences of ${ANNOTATE_BATCH.maxMessages} documents, as the annotate stage batches them)`} sentences, batches ≤ ${base.batch} rows and ≤ ${base.tokenBudget} padded tokens; ${threads} threads in all (litmine: ${sessions} sessions × ${litmineDefault.threads}; the others: 1 session × ${threads} intra-op threads); one warm-up pass of 64 sentences untimed; best of ${values.rounds} alternating rounds per engine`,
    engines: rows.map(({ label, perSecond, peakRssMB, seconds, found }) => ({
      engine: label,
      sentencesPerSecond: round(perSecond),
      peakRssMB: Math.round(peakRssMB),
      seconds: round(seconds),
      found,
    })),
    ratio_vs_transformersjs: a && b ? round(a.perSecond / b.perSecond) : null,
    ratio_vs_bare: a && c ? round(a.perSecond / c.perSecond) : null,
    rss_vs_transformersjs: a && b ? round(a.peakRssMB / b.peakRssMB) : null,
    // Against one session with one thread: the default's intra-op threads, and as many single-thread sessions.
    scaling_threads: a && aOne ? round(a.perSecond / aOne.perSecond) : null,
    scaling_sessions: aSessions && aOne ? round(aSessions.perSecond / aOne.perSecond) : null,
    litmineRun: stage && typeof stage !== 'string' ? stage : null,
    failures,
  };
  if (values.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log(`machine: ${machine}`);
  console.log(`model:   ${summary.model}; peer: ${optimum} (optimum export, dynamic int8)`);
  console.log(`input:   ${summary.input}`);
  console.log('');
  console.log('engine                                  sentences/s   peak RSS (MB)   found');
  for (const r of rows) {
    console.log(
      `${r.label.padEnd(38)} ${r.perSecond.toFixed(1).padStart(12)}   ${r.peakRssMB.toFixed(0).padStart(13)}   ${String(r.found).padStart(5)}`,
    );
  }
  console.log('');
  console.log(
    `a/b (litmine / best transformers.js): ${summary.ratio_vs_transformersjs ?? 'n/a'}×   a/c (litmine / bare onnxruntime): ${summary.ratio_vs_bare ?? 'n/a'}×   RSS a/b: ${summary.rss_vs_transformersjs ?? 'n/a'}×`,
  );
  if (summary.scaling_threads !== null) {
    console.log(
      `scaling over 1 session × 1 thread: ${threads} intra-op threads ${summary.scaling_threads}×, ${threads} sessions × 1 thread ${summary.scaling_sessions ?? 'n/a'}×`,
    );
  }
  if (summary.litmineRun) {
    const s = summary.litmineRun;
    console.log('');
    console.log(
      `(d) litmine run --from ${s.from.join(' --from ')}: ${s.articles} articles, ${s.sentences} sentences; ingest ${s.seconds.ingest.toFixed(1)} s, annotate ${s.seconds.annotate.toFixed(1)} s (${s.sentencesPerSecondAnnotate.toFixed(1)} sentences/s, NER + RE), index ${s.seconds.index.toFixed(1)} s; ${s.seconds.total.toFixed(1)} s in all`,
    );
  }
  for (const f of failures) console.log(`bench: ${f}`);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

await main();
