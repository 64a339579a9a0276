/**
 * Which labelled files a model is judged on before promotion, and its F1 on each: the candidate
 * manifest's `evaluation_sets` ({name: {file, types?}}, files relative to the shared data folder or
 * absolute), else `--eval NAME=FILE[:TYPES]` flags, else the test splits the committed models are
 * reported on (scripts/eval-models.sh). Scores use the same evaluators as `litmine eval`.
 *
 *   const sets = evaluationSets('ner', candidateManifest, [], sharedRoot);
 *   const f1 = await scoreOnSet('ner', 'models/ner', sets[0], options);
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { LitmineError } from '../errors.js';
import { evaluateNer, readConll } from '../nlp/ner-evaluation.js';
import { evaluateRe, readReFile, reFileFormat } from '../nlp/re-evaluation.js';
import { RelationClassifier } from '../nlp/relation-classifier.js';
import { TokenClassifier } from '../nlp/token-classifier.js';

export type PromoteTask = 'ner' | 're';

export interface EvaluationSet {
  name: string;
  file: string;
  types?: string[];
}

const DEFAULT_SETS: Record<PromoteTask, EvaluationSet[]> = {
  ner: [
    { name: 'ncbi-disease', file: 'ncbi-disease/biobert/test.tsv', types: ['Disease'] },
    { name: 'bc5cdr-disease', file: 'bc5cdr-disease/biobert/test.tsv', types: ['Disease'] },
    { name: 'bc5cdr-chem', file: 'bc5cdr-chem/biobert/test.tsv', types: ['Chemical'] },
    { name: 'bc2gm', file: 'bc2gm/biobert/test.tsv', types: ['Gene'] },
    { name: 'jnlpba', file: 'jnlpba/biobert/test.tsv', types: ['Gene', 'CellLine', 'CellType'] },
    { name: 'linnaeus', file: 'linnaeus/biobert/test.tsv', types: ['Species'] },
  ],
  re: [
    { name: 'gad', file: 'gad/biobert-10fold/1/test.tsv' },
    { name: 'euadr', file: 'euadr/biobert-10fold/1/test.tsv' },
    // Built from the raw corpora by `python models/train/write_eval_instances.py` (repository-relative).
    { name: 'chemprot', file: 'models/build/re-eval/chemprot.re-instances.jsonl' },
    { name: 'bc5cdr-cid', file: 'models/build/re-eval/bc5cdr-cid.re-instances.jsonl' },
  ],
};

/** `NAME=FILE[:T1,T2]` → an evaluation set. */
export function parseEvalFlag(flag: string): EvaluationSet {
  const m = flag.match(/^([^=]+)=(.+?)(?::([A-Za-z,]+))?$/);
  if (!m) throw new LitmineError('LITMINE_USAGE', `--eval ${flag}: expected NAME=FILE or NAME=FILE:Type1,Type2`);
  return { name: m[1]!, file: m[2]!, types: m[3]?.split(',').filter(Boolean) };
}

export function evaluationSets(
  task: PromoteTask,
  manifest: Record<string, unknown> | null,
  flags: readonly string[],
  sharedRoot: string,
): EvaluationSet[] {
  let sets: EvaluationSet[];
  if (flags.length) sets = flags.map(parseEvalFlag);
  else if (manifest?.evaluation_sets && typeof manifest.evaluation_sets === 'object')
    sets = Object.entries(manifest.evaluation_sets as Record<string, { file: string; types?: string[] }>).map(([name, s]) => ({
      name,
      file: s.file,
      types: s.types,
    }));
  else sets = DEFAULT_SETS[task];
  return sets.map((s) => {
    const file = isAbsolute(s.file) || existsSync(s.file) ? s.file : join(sharedRoot, s.file);
    if (!existsSync(file)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `evaluation set ${s.name}: ${file}: no such file`);
    return { ...s, file };
  });
}

/** F1 recorded for a set in a model's manifest (TypeScript scores first), or null. */
export function recordedF1(manifest: Record<string, unknown> | null, name: string): number | null {
  for (const key of ['scores_typescript', 'scores']) {
    const f1 = (manifest?.[key] as Record<string, { f1?: unknown }> | undefined)?.[name]?.f1;
    if (typeof f1 === 'number') return f1;
  }
  return null;
}

export interface ScoreOptions {
  executionProvider: 'cpu' | 'cuda';
  intraOpThreads: number;
  batchSize: number;
  sharedRoot: string;
  onProgress?: (n: number) => void;
}

export async function scoreOnSet(task: PromoteTask, modelDir: string, set: EvaluationSet, options: ScoreOptions): Promise<number> {
  const session = { executionProvider: options.executionProvider, intraOpThreads: options.intraOpThreads, batchSize: options.batchSize };
  const text = readFileSync(set.file, 'utf8');
  if (task === 'ner') {
    const classifier = await TokenClassifier.create(modelDir, session);
    try {
      const r = await evaluateNer(classifier, readConll(text), {
        types: set.types ? new Set(set.types) : undefined,
        onProgress: options.onProgress,
      });
      return r.f1;
    } finally {
      await classifier.close();
    }
  }
  const classifier = await RelationClassifier.create(modelDir, session);
  try {
    const gd = classifier.folder.pairLabels?.['Gene|Disease']?.filter((l) => l !== classifier.negativeLabel);
    const corpus =
      reFileFormat(set.file) === 're-instances' ? readReFile(set.file, text) : readReFile(set.file, text, { positive: gd?.[0] });
    const r = await evaluateRe(classifier, corpus, options.onProgress);
    return r.f1;
  } finally {
    await classifier.close();
  }
}
