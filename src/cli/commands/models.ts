/**
 * `litmine models promote DIR [--ner|--re]`: evaluates a candidate model folder on the evaluation sets
 * its manifest names (or --eval NAME=FILE[:TYPES], or the committed models' test splits), compares
 * each F1 with the current default's (recorded in its manifest, else measured now on the same file)
 * and, only when no set is worse by more than --tolerance F1 points, installs it as the default
 * (copied into <dataDir>/models/, path recorded in the config file). A refusal changes nothing.
 *
 *   litmine models promote models/build/ner-v2 --ner --tolerance 0.5 && litmine reprocess
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LitmineError } from '../../errors.js';
import { loadModelFolder } from '../../nlp/model-folder.js';
import { type PromoteTask, evaluationSets, recordedF1, scoreOnSet } from '../../models/evaluation-sets.js';
import { defaultConfigFile, installModel } from '../../models/install-model.js';
import { type SetComparison, promotionVerdict } from '../../models/promote-gate.js';
import type { Command } from '../command.js';
import { modelDirs } from '../open-services.js';
import { Progress } from '../progress.js';

const USAGE = 'litmine models promote DIR [--ner|--re] [--eval NAME=FILE[:TYPES]]... [--tolerance F1] [--dry-run] [--json]';

function readManifest(dir: string): Record<string, unknown> | null {
  const p = join(dir, 'manifest.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>) : null;
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'promote a candidate model to the default if it scores no worse than the current one',
  usage: USAGE,
  options: {
    ner: { type: 'boolean' },
    re: { type: 'boolean' },
    eval: { type: 'string', multiple: true },
    tolerance: { type: 'string', value: { kind: 'number', min: 0, max: 100 } },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, { config, io, installDir }) {
    const [sub, dirArg, ...extra] = positionals;
    if (sub !== 'promote' || !dirArg || extra.length) throw new LitmineError('LITMINE_USAGE', `usage: ${USAGE}`);
    if (values.ner && values.re) throw new LitmineError('LITMINE_USAGE', '--ner and --re: choose one');
    const tolerance = (values.tolerance as number | undefined) ?? 0.5;
    const candidateDir = resolve(dirArg);
    if (!existsSync(candidateDir)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${dirArg}: no such model folder`);
    const candidate = loadModelFolder(candidateDir); // checks files and checksums before any evaluation
    const inferred: PromoteTask = candidate.task === 'token-classification' ? 'ner' : 're';
    const task: PromoteTask = values.ner ? 'ner' : values.re ? 're' : inferred;
    if (task !== inferred)
      throw new LitmineError('LITMINE_USAGE', `${dirArg}: a ${candidate.task} model cannot be promoted with --${task}`);
    const currentDir = modelDirs(config, installDir)[task];
    if (!currentDir || !existsSync(currentDir))
      throw new LitmineError('LITMINE_MODEL_LOAD', `no current ${task} model to compare with (${currentDir ?? 'models.re is null'})`);

    const sharedRoot = process.env.LITMINE_SHARED_DATA ?? join(installDir, '..', 'shared', 'data');
    const candidateManifest = readManifest(candidateDir);
    const currentManifest = readManifest(currentDir);
    const sets = evaluationSets(task, candidateManifest, (values.eval as string[] | undefined) ?? [], sharedRoot);
    const score = {
      executionProvider: config.models.executionProvider,
      intraOpThreads: config.models.intraOpThreads,
      batchSize: config.models.batchSize,
      sharedRoot,
    };
    const rows: SetComparison[] = [];
    for (const set of sets) {
      const progress = new Progress(io, `promote: ${set.name} candidate`, { unit: 'items' });
      const cand = await scoreOnSet(task, candidateDir, set, { ...score, onProgress: (n) => progress.tick(n) });
      progress.done();
      let current = recordedF1(currentManifest, set.name);
      let currentFrom: SetComparison['currentFrom'] = 'manifest';
      if (current === null) {
        const p = new Progress(io, `promote: ${set.name} current`, { unit: 'items' });
        current = await scoreOnSet(task, currentDir, set, { ...score, onProgress: (n) => p.tick(n) });
        p.done();
        currentFrom = 'measured';
      }
      rows.push({ name: set.name, candidate: cand, current, currentFrom });
    }
    const verdict = promotionVerdict(rows, tolerance);
    const table = verdict.sets.map(
      (r) =>
        `  ${r.name.padEnd(16)} candidate ${r.candidate.toFixed(2).padStart(6)}  current ${r.current.toFixed(2).padStart(6)} (${r.currentFrom})  Δ ${r.delta >= 0 ? '+' : ''}${r.delta.toFixed(2)}${r.worse ? '  WORSE' : ''}`,
    );
    const summary = {
      task,
      candidate: { dir: candidateDir, ...candidate.ref },
      current: { dir: currentDir, ...loadModelFolder(currentDir).ref },
      ...verdict,
    };
    if (!verdict.ok) {
      if (values.json) io.out(JSON.stringify({ ...summary, promoted: false }));
      else io.err(table.join('\n'));
      const worse = verdict.sets.filter((r) => r.worse).map((r) => `${r.name} ${r.delta.toFixed(2)}`);
      throw new LitmineError(
        'LITMINE_MODEL_REJECTED',
        `${candidate.ref.name}@${candidate.ref.version} not promoted: F1 below the current default by more than ${tolerance} on ${worse.join(', ')}; nothing was changed`,
      );
    }
    if (values['dry-run']) {
      if (values.json) io.out(JSON.stringify({ ...summary, promoted: false, dryRun: true }));
      else
        io.out(
          [...table, `models promote: ${candidate.ref.name}@${candidate.ref.version} would be promoted (--dry-run: nothing changed)`].join(
            '\n',
          ),
        );
      return 0;
    }
    const installed = installModel(task, candidateDir, candidate.ref.version, {
      dataDir: config.dataDir,
      configFile: defaultConfigFile(values.config as string | undefined),
    });
    const envVar = task === 'ner' ? 'LITMINE_NER_MODEL' : 'LITMINE_RE_MODEL';
    if (process.env[envVar]) io.err(`models promote: ${envVar} is set and overrides the config file; unset it to use the promoted model`);
    if (values.json) io.out(JSON.stringify({ ...summary, promoted: true, installed }));
    else
      io.out(
        [
          ...table,
          `models promote: ${candidate.ref.name}@${candidate.ref.version} is now the default ${task} model (${installed.dir}, recorded in ${installed.configFile}); run \`litmine reprocess\` to re-annotate the articles with it`,
        ].join('\n'),
      );
    return 0;
  },
};
