/**
 * `litmine vocab fetch` downloads the official files (resumable, MD5 where published);
 * `litmine vocab build --from DIR...`: the normalization dictionary (data/vocab/dictionary.sqlite)
 * from MeSH, HGNC / NCBI Gene, MONDO and NCBI Taxonomy / LINNAEUS files, staged or official
 * (src/vocab/); progress by bytes with rate and ETA, then a summary of what it read and wrote.
 *
 *   litmine vocab build --from ../shared/data/vocab
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readPubtatorDocuments } from '../../interchange/pubtator.js';
import { DEFAULT_WEIGHTS } from '../../norm/ranker.js';
import { trainRanker } from '../../norm/train-ranker.js';
import { Dictionary } from '../../vocab/dictionary.js';
import { LitmineError } from '../../errors.js';
import { buildDictionary } from '../../vocab/build-dictionary.js';
import type { Command, CommandContext, ParsedCommandArgs } from '../command.js';
import { dictionaryPath } from '../open-normalizer.js';
import { dataPath } from '../open-services.js';
import { fetchVocabulary } from '../../vocab/fetch-vocabulary.js';
import { formatDuration } from '../progress.js';

const USAGE =
  'litmine vocab build --from DIR|FILE [--from …] [--lexicon TRAIN.PubTator.txt …] [--out FILE] [--json]\n' +
  '       litmine vocab fetch [--to DIR]   (downloads config vocab.downloads, resumable; then vocab build --from DIR)\n' +
  '       litmine vocab train-ranker <TRAIN.PubTator.txt> [--out models/norm/ranker.json]';

async function trainRankerCommand(args: ParsedCommandArgs, ctx: CommandContext): Promise<number> {
  const file = args.positionals[1];
  if (!file) throw new LitmineError('LITMINE_USAGE', `usage: ${USAGE}`);
  const out = resolve((args.values.out as string | undefined) ?? join(ctx.installDir, 'models', 'norm', 'ranker.json'));
  const dict = Dictionary.open(dictionaryPath(ctx.config));
  try {
    const r = trainRanker(readPubtatorDocuments(readFileSync(file, 'utf8'), file), dict, { initial: DEFAULT_WEIGHTS });
    const trainedOn = `${basename(file)}: listwise softmax over the dictionary candidates of its ${r.mentions} single-id gold mentions`;
    writeFileSync(out, `${JSON.stringify({ ...r.weights, trainedOn }, null, 1)}\n`);
    ctx.io.err(
      `vocab train-ranker: ${r.mentions} mentions, ${r.rows} candidates; top-1 where the gold is a candidate ${r.before.toFixed(2)} → ${r.after.toFixed(2)} → ${out}`,
    );
    return 0;
  } finally {
    dict.close();
  }
}

async function fetch(args: ParsedCommandArgs, ctx: CommandContext): Promise<number> {
  const dir = args.values.to ? resolve(args.values.to as string) : dataPath(ctx.config, 'vocab', 'downloads');
  let last = 0;
  const started = Date.now();
  const files = await fetchVocabulary([...ctx.config.vocab.downloads], dir, {
    signal: ctx.signal,
    onProgress: (file, bytes, total) => {
      const now = Date.now();
      if (now - last < (ctx.io.isTTY ? 250 : 5000)) return;
      last = now;
      const rate = bytes / 1e6 / Math.max((now - started) / 1000, 1e-3);
      const eta = total && rate > 0 ? `, ETA ${formatDuration((total - bytes) / 1e6 / rate)}` : '';
      ctx.io.err(
        `vocab fetch: ${file} ${(bytes / 1e6).toFixed(1)}${total ? `/${(total / 1e6).toFixed(1)}` : ''} MB, ${rate.toFixed(1)} MB/s${eta}`,
      );
    },
  });
  for (const f of files)
    ctx.io.err(
      `  ${f.status.padEnd(8)} ${(f.bytes / 1e6).toFixed(1).padStart(8)} MB  ${f.file}${f.md5 ? ` (md5 ${f.md5} as published)` : ''}`,
    );
  ctx.io.err(`vocab fetch: ${files.length} file(s) in ${dir}; next: litmine vocab build --from ${dir}`);
  if (args.values.json) ctx.io.out(JSON.stringify(files));
  return 0;
}

async function build(args: ParsedCommandArgs, ctx: CommandContext): Promise<number> {
  const from = (args.values.from as string[] | undefined) ?? [];
  if (from.length === 0) throw new LitmineError('LITMINE_USAGE', `--from is required\nusage: ${USAGE}`);
  const out = args.values.out ? resolve(args.values.out as string) : dictionaryPath(ctx.config);
  const started = Date.now();
  let last = 0;
  const summary = await buildDictionary({
    from,
    out,
    lexicon: (args.values.lexicon as string[] | undefined) ?? [],
    onPhase: (message) => ctx.io.err(`vocab build: ${message}`),
    onProgress: (bytes, total) => {
      const now = Date.now();
      if (now - last < (ctx.io.isTTY ? 250 : 5000)) return;
      last = now;
      const secs = (now - started) / 1000;
      const rate = bytes / 1e6 / Math.max(secs, 1e-3);
      const eta = rate > 0 ? (total - bytes) / 1e6 / rate : 0;
      ctx.io.err(
        `vocab build: ${(bytes / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB, ${rate.toFixed(1)} MB/s, ETA ${formatDuration(eta)}`,
      );
    },
  });
  for (const f of summary.files)
    ctx.io.err(`  ${f.reader.padEnd(24)} ${String(f.concepts).padStart(8)}  ${f.file}${f.version ? ` (${f.version})` : ''}`);
  if (summary.skipped.length > 0) ctx.io.err(`  not vocabularies, skipped: ${summary.skipped.join(', ')}`);
  ctx.io.err(
    `vocab build: ${summary.concepts} concepts, ${summary.names} lookup keys from ${summary.files.length} files in ${summary.seconds.toFixed(1)} s → ${summary.out} (${(summary.bytes / 1e6).toFixed(1)} MB)`,
  );
  if (args.values.json) ctx.io.out(JSON.stringify(summary));
  return 0;
}

async function run(args: ParsedCommandArgs, ctx: CommandContext): Promise<number> {
  const [sub] = args.positionals;
  if (sub === 'build') return build(args, ctx);
  if (sub === 'fetch') return fetch(args, ctx);
  if (sub === 'train-ranker') return trainRankerCommand(args, ctx);
  throw new LitmineError('LITMINE_USAGE', `usage: ${USAGE}`);
}

export const vocabCommand: Command = {
  name: 'vocab',
  summary: 'normalization dictionary: fetch the official vocabularies, build the dictionary, fit the ranker',
  usage: USAGE,
  options: {
    from: { type: 'string', multiple: true },
    lexicon: { type: 'string', multiple: true },
    out: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
  },
  run,
};
