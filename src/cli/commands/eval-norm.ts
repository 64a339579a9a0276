/**
 * `litmine eval norm <PubTator file>`: normalization accuracy with the gold mention spans per type,
 * and end to end (litmine's NER, abbreviations, identifiers) document-level P/R/F1 per type, as in
 * src/norm/norm-evaluation.ts. JSON: `goldSpan.<Type>.accuracy` (0–100), `endToEnd.<Type>.{precision,recall,f1}`.
 *
 *   litmine eval norm ../shared/data/bc5cdr-pubtator/CDR_TestSet.PubTator.txt --json
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LitmineError } from '../../errors.js';
import { readPubtatorDocuments } from '../../interchange/pubtator.js';
import { createOnnxAnnotator } from '../../nlp/onnx-annotator.js';
import { evaluateNorm } from '../../norm/norm-evaluation.js';
import { Normalizer } from '../../norm/normalizer.js';
import { loadRanker } from '../../norm/ranker.js';
import { Dictionary } from '../../vocab/dictionary.js';
import type { CommandContext, ParsedCommandArgs } from '../command.js';
import { BUILD_HINT, dictionaryPath } from '../open-normalizer.js';
import { modelDirs } from '../open-services.js';
import { Progress } from '../progress.js';

function fmt(n: number): string {
  return n.toFixed(2).padStart(6);
}

export async function runEvalNorm(file: string, args: ParsedCommandArgs, ctx: CommandContext): Promise<number> {
  const { config, io } = ctx;
  const dictFile = args.values.dictionary ? resolve(args.values.dictionary as string) : dictionaryPath(config);
  let dict: Dictionary;
  try {
    dict = Dictionary.open(dictFile);
  } catch (err) {
    if (err instanceof LitmineError && err.code === 'LITMINE_INPUT_NOT_FOUND')
      throw new LitmineError('LITMINE_USAGE', `${err.message}; build it with: ${BUILD_HINT}`);
    throw err;
  }
  const normalizer = new Normalizer(dict, loadRanker(join(ctx.installDir, 'models', 'norm', 'ranker.json')));
  const docs = readPubtatorDocuments(readFileSync(file, 'utf8'), file);
  const goldOnly = Boolean(args.values['gold-spans-only']);
  const annotator = goldOnly
    ? undefined
    : await createOnnxAnnotator({
        nerDir: args.values.model ? resolve(args.values.model as string) : modelDirs(config, ctx.installDir).ner,
        reDir: null,
        executionProvider: config.models.executionProvider,
        intraOpThreads: config.models.intraOpThreads,
        batchSize: config.models.batchSize,
        onWarning: (m) => io.err(`litmine eval: ${m}`),
      });
  const progress = new Progress(io, 'eval norm', { total: docs.length, unit: 'documents' });
  try {
    const r = await evaluateNorm(docs, normalizer, { annotator, onProgress: (n) => progress.tick(n) });
    progress.done();
    const result = {
      task: 'norm',
      file,
      dictionary: dictFile,
      ranker: normalizer.ref,
      ...r,
      errors: args.values.errors ? r.errors : undefined,
    };
    if (args.values.json) io.out(JSON.stringify(result));
    else {
      io.out(`norm ${file}\ndictionary ${dictFile} (${normalizer.ref.version})\ngold spans: accuracy of the top identifier`);
      for (const [type, a] of Object.entries(r.goldSpan)) io.out(`  ${type.padEnd(10)} ${fmt(a.accuracy)}  (${a.correct}/${a.total})`);
      if (r.endToEnd) {
        io.out('end to end (NER + ids), document level:  precision recall     f1');
        for (const [type, s] of Object.entries(r.endToEnd))
          io.out(
            `  ${type.padEnd(10)}                              ${fmt(s.precision)} ${fmt(s.recall)} ${fmt(s.f1)}  (tp ${s.tp} fp ${s.fp} fn ${s.fn})`,
          );
      }
    }
    return 0;
  } finally {
    await annotator?.close();
    dict.close();
  }
}
