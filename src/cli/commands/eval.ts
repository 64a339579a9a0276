/**
 * `litmine eval ner|re|norm|spans FILE`: precision, recall and F1 of a model folder on a labelled file, with
 * BioBERT's conventions (see src/nlp/ner-evaluation.ts and re-evaluation.ts), or NER by character span
 * on raw documents as the pipeline runs it (eval-spans.ts); progress on stderr.
 *
 *   litmine eval ner ../shared/data/ncbi-disease/biobert/test.tsv --type Disease --json
 *   litmine eval re ../shared/data/gad/biobert-10fold/1/test.tsv --model models/re
 *   python models/train/write_eval_instances.py && litmine eval re models/build/re-eval/bc5cdr-cid.re-instances.jsonl --json
 *
 * `eval re` reads the instances models/train/re_data.py builds (`.re-instances.jsonl`, written by
 * models/train/write_eval_instances.py), or BioBERT's GAD/EU-ADR `.tsv` directly. Its JSON: precision, recall, f1, tp, fp, fn, instances,
 * perLabel at the top level (the mention-level score); for CID also `document`, the document-level
 * score ({precision, recall, f1, tp, fp, fn} over (PMID, chemical, disease) pairs, cross-sentence
 * gold pairs included) that eval_re.py reports as "bc5cdr-cid-doc".
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LitmineError } from '../../errors.js';
import { evaluateNer, readConll, type Scores } from '../../nlp/ner-evaluation.js';
import { evaluateRe, readReFile, reFileFormat } from '../../nlp/re-evaluation.js';
import { RelationClassifier } from '../../nlp/relation-classifier.js';
import { TokenClassifier } from '../../nlp/token-classifier.js';
import type { Command, CommandContext, ParsedCommandArgs } from '../command.js';
import { TEXT } from '../flag-values.js';
import { Progress } from '../progress.js';
import { runEvalNorm } from './eval-norm.js';
import { runEvalSpans } from './eval-spans.js';

const USAGE =
  'litmine eval ner <conll-file> [--model DIR] [--type T[,T…]] [--json]\n' +
  '       litmine eval re <file.re-instances.jsonl|file.tsv> [--model DIR] [--json]\n' +
  '       litmine eval norm <file.PubTator.txt> [--model DIR] [--dictionary FILE] [--gold-spans-only] [--errors] [--json]\n' +
  '       litmine eval spans <file.PubTator> [--model DIR] [--no-repair] [--json]\n' +
  '         .re-instances.jsonl: instances written by `python models/train/write_eval_instances.py`\n' +
  '         (ChemProt, BC5CDR CID, GAD, EU-ADR under models/build/re-eval/); .tsv: BioBERT GAD/EU-ADR.\n' +
  '         For CID the JSON adds "document": the document-level score (top-level figures: mention level)';

function fmt(n: number): string {
  return n.toFixed(2).padStart(6);
}

async function run(args: ParsedCommandArgs, ctx: CommandContext): Promise<number> {
  const [task, file] = args.positionals;
  if ((task !== 'ner' && task !== 're' && task !== 'norm' && task !== 'spans') || !file)
    throw new LitmineError('LITMINE_USAGE', `usage: ${USAGE}`);
  if (!existsSync(file)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${file}: no such file`);
  if (task === 'norm') return runEvalNorm(file, args, ctx);
  if (task === 'spans') return runEvalSpans(file, args, ctx);
  const { config, io } = ctx;
  const modelArg = args.values.model as string | undefined;
  const modelDir = resolve(ctx.installDir, modelArg ?? (task === 'ner' ? config.models.ner : (config.models.re ?? 'models/re')));
  const sessionOptions = {
    executionProvider: config.models.executionProvider,
    intraOpThreads: config.models.intraOpThreads,
    batchSize: config.models.batchSize,
    onWarning: (m: string) => io.err(`litmine eval: ${m}`),
  };
  const text = readFileSync(file, 'utf8');
  let result: Record<string, unknown>;
  if (task === 'ner') {
    const typeArg = args.values.type as string | undefined;
    const types = typeArg
      ? new Set(
          typeArg
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        )
      : undefined;
    const classifier = await TokenClassifier.create(modelDir, sessionOptions);
    const known = new Set(classifier.folder.labels.map((l) => l.replace(/^[BIES]-/, '')));
    for (const t of types ?? []) {
      if (!known.has(t))
        throw new LitmineError(
          'LITMINE_USAGE',
          `--type ${t}: the model has no such type (it has ${[...known].filter((k) => k !== 'O').join(', ')})`,
        );
    }
    const sentences = readConll(text);
    const progress = new Progress(io, 'eval ner', { total: sentences.length, unit: 'sentences' });
    try {
      const r = await evaluateNer(classifier, sentences, { types, onProgress: (n) => progress.tick(n) });
      progress.done();
      result = { task, file, model: classifier.folder.ref, types: types ? [...types] : 'all', ...r };
    } finally {
      await classifier.close();
    }
  } else {
    // An unknown format or a malformed instance file fails before the model loads.
    const early = reFileFormat(file) === 're-instances' ? readReFile(file, text) : undefined;
    const classifier = await RelationClassifier.create(modelDir, sessionOptions);
    const gd = classifier.folder.pairLabels?.['Gene|Disease']?.filter((l) => l !== classifier.negativeLabel);
    const corpus = early ?? readReFile(file, text, { positive: gd?.[0] });
    const progress = new Progress(io, 'eval re', { total: corpus.items.length, unit: 'pairs' });
    try {
      const r = await evaluateRe(classifier, corpus, (n) => progress.tick(n));
      progress.done();
      result = { task, file, model: classifier.folder.ref, ...r };
    } finally {
      await classifier.close();
    }
  }
  if (args.values.json) {
    io.out(JSON.stringify(result));
  } else {
    const r = result as unknown as Scores & { model: { name: string; version: string } };
    io.out(`${task} ${file}\nmodel ${r.model.name} ${r.model.version}`);
    io.out('precision recall     f1     tp     fp     fn');
    io.out(
      `   ${fmt(r.precision)} ${fmt(r.recall)} ${fmt(r.f1)} ${String(r.tp).padStart(6)} ${String(r.fp).padStart(6)} ${String(r.fn).padStart(6)}`,
    );
    const per = (result as { perLabel?: Record<string, { precision: number; recall: number; f1: number }> }).perLabel;
    for (const [label, s] of Object.entries(per ?? {}))
      io.out(`  ${label.padEnd(12)} P ${fmt(s.precision)} R ${fmt(s.recall)} F1 ${fmt(s.f1)}`);
    const doc = (result as { document?: typeof r }).document;
    if (doc)
      io.out(
        `document level (pmid, chemical, disease): P ${fmt(doc.precision)} R ${fmt(doc.recall)} F1 ${fmt(doc.f1)} tp ${doc.tp} fp ${doc.fp} fn ${doc.fn}`,
      );
  }
  return 0;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'precision, recall and F1 of a NER or RE model (word level or by character span), or normalization accuracy, on a labelled file',
  usage: USAGE,
  options: {
    model: { type: 'string' },
    type: { type: 'string', value: TEXT },
    json: { type: 'boolean' },
    dictionary: { type: 'string' },
    'gold-spans-only': { type: 'boolean' },
    errors: { type: 'boolean' },
    'no-repair': { type: 'boolean' },
  },
  run,
};
