/**
 * `litmine eval spans <PubTator file>`: NER as the pipeline runs it, scored by exact character span
 * and type over raw title + abstract (src/nlp/span-evaluation.ts), with the mention repair on, or
 * off with `--no-repair` to see what it changes. JSON: `types.<Type>`, `micro` ({precision, recall,
 * f1, tp, fp, fn}) and `ragged` (predicted mentions with broken edges or no letter).
 *
 *   litmine eval spans ../shared/data/biored/Dev.PubTator --json
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readPubtatorDocuments } from '../../interchange/pubtator.js';
import { entityTypes } from '../../nlp/decode-bio.js';
import { createOnnxAnnotator } from '../../nlp/onnx-annotator.js';
import { evaluateSpans } from '../../nlp/span-evaluation.js';
import type { CommandContext, ParsedCommandArgs } from '../command.js';
import { modelDirs } from '../open-services.js';
import { Progress } from '../progress.js';

const fmt = (n: number) => n.toFixed(2).padStart(6);

export async function runEvalSpans(file: string, args: ParsedCommandArgs, ctx: CommandContext): Promise<number> {
  const { config, io } = ctx;
  const docs = readPubtatorDocuments(readFileSync(file, 'utf8'), file);
  const repair = !args.values['no-repair'];
  const annotator = await createOnnxAnnotator({
    nerDir: args.values.model ? resolve(args.values.model as string) : modelDirs(config, ctx.installDir).ner,
    reDir: null,
    executionProvider: config.models.executionProvider,
    intraOpThreads: config.models.intraOpThreads,
    batchSize: config.models.batchSize,
    sessions: config.models.sessions,
    repairMentions: repair,
    onWarning: (m) => io.err(`litmine eval: ${m}`),
  });
  const progress = new Progress(io, 'eval spans', { total: docs.length, unit: 'documents' });
  try {
    const types = entityTypes(annotator.ner.folder.labels);
    const r = await evaluateSpans(docs, annotator, types, { onProgress: (n) => progress.tick(n) });
    progress.done();
    if (args.values.json) io.out(JSON.stringify({ task: 'spans', file, model: annotator.models.ner, repair, ...r }));
    else {
      io.out(`spans ${file} (${r.documents} documents, exact character span and type; repair ${repair ? 'on' : 'off'})`);
      io.out('             precision recall     f1');
      for (const [type, s] of [...Object.entries(r.types), ['micro', r.micro] as const])
        io.out(`  ${type.padEnd(10)} ${fmt(s.precision)} ${fmt(s.recall)} ${fmt(s.f1)}  (tp ${s.tp} fp ${s.fp} fn ${s.fn})`);
      io.out(
        `ragged: ${r.ragged.punctuationEdge} with a broken edge, ${r.ragged.noLetter} without a letter, of ${r.ragged.predicted} predicted`,
      );
    }
    return 0;
  } finally {
    await annotator.close();
  }
}
