/**
 * `litmine eval` reproduces the figures models/REPORT.md and the manifests give for the committed
 * models, on the real test splits: exactly the TypeScript figure recorded at export (on CPUs whose int8
 * kernels reproduce it, or recorded for their kernels; test/nlp/int8-records.ts), and within 0.2
 * F1 of the reference engine on the same model: PyTorch on the same weights (weight-only int8), or
 * Python onnxruntime on the same file (static int8, which PyTorch cannot run as such). NCBI-disease (940 sentences) and GAD fold 1 (534 pairs)
 * keep it to seconds; scripts/eval-models.sh runs every corpus.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { CROSS_KERNEL_F1_BOUND, family, recordFor } from './int8-records.js';
import { REAL_NER, REAL_RE, hasRealNer, hasRealRe } from './tiny-models.js';
import test from 'ava';

interface Scores {
  precision: number;
  recall: number;
  f1: number;
}
interface KernelRecord {
  scores?: Record<string, Scores>;
  scores_typescript?: Record<string, Scores>;
}
interface Manifest {
  int8_kernels?: string[];
  other_int8_kernels?: Record<string, KernelRecord>;
  scores_typescript?: Record<string, Scores>;
  scores_pytorch_same_weights?: Record<string, Scores>;
  /** Python onnxruntime on the shipped file. */
  scores?: Record<string, Scores>;
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

async function evalJson(args: string[]): Promise<Scores> {
  const out: string[] = [];
  const err: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'litmine-eval-'));
  const code = await main(['eval', ...args, '--json', '--data-dir', dataDir], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    isTTY: false,
  });
  if (code !== 0) throw new Error(err.join('\n'));
  return JSON.parse(out.join('\n')) as Scores;
}

/**
 * Where the manifest's figures were made on (or reproduced on) this CPU's int8 kernel family, the
 * TypeScript figure is the recorded one exactly; elsewhere it is within the cross-family bound of it.
 */
function check(t: import('ava').ExecutionContext, corpus: string, got: Scores, m: Manifest) {
  const r = recordFor(m);
  const source: KernelRecord = r.kind === 'other' ? r.record : m;
  const recorded = source.scores_typescript?.[corpus];
  const reference = r.kind === 'other' ? source.scores?.[corpus] : (m.scores_pytorch_same_weights?.[corpus] ?? m.scores?.[corpus]);
  if (!recorded || !reference) return t.fail(`manifest has no TypeScript or reference score for ${corpus}`);
  if (r.kind === 'none') {
    t.log(`${corpus}: TypeScript F1 ${got.f1}; ${family} kernels have no record, the export's is ${recorded.f1}`);
    t.true(Math.abs(got.f1 - recorded.f1) <= CROSS_KERNEL_F1_BOUND, `${corpus}: ${got.f1} vs recorded ${recorded.f1} on other kernels`);
    return;
  }
  t.deepEqual({ precision: got.precision, recall: got.recall, f1: got.f1 }, recorded);
  t.log(`${corpus}: TypeScript F1 ${got.f1}, reference engine on the same model ${reference.f1} (${family} kernels)`);
  t.true(Math.abs(got.f1 - reference.f1) <= 0.2, `${corpus}: ${got.f1} vs reference ${reference.f1}`);
}

const nerTest = hasSharedData && hasRealNer ? test : test.skip;
const reTest = hasSharedData && hasRealRe ? test : test.skip;

nerTest('litmine eval ner reproduces the recorded NCBI-disease figure, within 0.2 F1 of the reference engine', async (t) => {
  const got = await evalJson(['ner', sharedPath('ncbi-disease', 'biobert', 'test.tsv'), '--model', REAL_NER, '--type', 'Disease']);
  check(t, 'ncbi-disease', got, manifest(REAL_NER));
});

reTest('litmine eval re reproduces the recorded GAD figure, within 0.2 F1 of PyTorch', async (t) => {
  const got = await evalJson(['re', sharedPath('gad', 'biobert-10fold', '1', 'test.tsv'), '--model', REAL_RE]);
  check(t, 'gad', got, manifest(REAL_RE));
});
