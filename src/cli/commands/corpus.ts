/**
 * `litmine corpus export --out DIR`: the text of every article on the articles topic as a pre-training
 * corpus (one sentence per line, sharded, deduplicated, manifest with documents, sentences, words and
 * date range) for models/train/pretrain_mlm.py. Nothing is excluded by default; `--exclude FILE`
 * (repeatable) leaves out every sentence of an evaluation file, compared normalised.
 *
 *   litmine corpus export --out models/build/my-corpus --exclude ../shared/data/ncbi-disease/biobert/test.tsv
 */
import { resolve } from 'node:path';
import { CorpusWriter } from '../../corpus/corpus-writer.js';
import { readExclusions } from '../../corpus/exclusion-list.js';
import { exportCorpus } from '../../corpus/export-corpus.js';
import { LitmineError } from '../../errors.js';
import { topicSpecs } from '../../../topologies/topics.js';
import type { Command } from '../command.js';
import { DATE } from '../flag-values.js';
import { openLog } from '../open-services.js';
import { Progress } from '../progress.js';

const USAGE = 'litmine corpus export --out DIR [--since YYYY[-MM[-DD]]] [--exclude FILE]... [--heldout-percent P] [--shard-sentences N]';

export const corpusCommand: Command = {
  name: 'corpus',
  summary: 'export the text of every article as a pre-training corpus (sentences, sharded, deduplicated)',
  usage: USAGE,
  options: {
    out: { type: 'string' },
    since: { type: 'string', value: DATE },
    exclude: { type: 'string', multiple: true },
    'heldout-percent': { type: 'string', value: { kind: 'number', min: 0, max: 100 } },
    'shard-sentences': { type: 'string', value: { kind: 'integer', min: 1, max: 1e9 } },
  },
  async run({ values, positionals }, { config, io }) {
    if (positionals[0] !== 'export' || positionals.length > 1) throw new LitmineError('LITMINE_USAGE', `usage: ${USAGE}`);
    const out = values.out as string | undefined;
    if (!out) throw new LitmineError('LITMINE_USAGE', `--out DIR is required\nusage: ${USAGE}`);
    const since = values.since as string | undefined;
    const heldoutPercent = (values['heldout-percent'] as number | undefined) ?? 1;
    const shardSentences = (values['shard-sentences'] as number | undefined) ?? 50000;
    const excludeFiles = (values.exclude as string[] | undefined) ?? [];
    const exclusions = readExclusions(excludeFiles);

    const log = await openLog(config);
    const writer = new CorpusWriter(resolve(out), { shardSentences, heldoutPercent });
    const progress = new Progress(io, 'corpus export', { unit: 'articles' });
    try {
      await log.ensureTopics(topicSpecs(config)); // a fresh data directory exports an empty corpus
      const stats = await exportCorpus({
        log,
        topic: config.topics.articles,
        writer,
        exclude: exclusions.keys,
        since,
        onArticle: () => progress.tick(),
      });
      progress.done();
      for (const u of stats.unreadable) io.err(`corpus export: skipped ${u.key}: ${u.reason}`);
      const manifest = writer.finish({
        source: { log: config.log.kind, topic: config.topics.articles },
        since: since ?? null,
        date_range: stats.dateRange,
        excluded: { files: exclusions.perFile, distinct_sentences: exclusions.keys.size, removed: stats.sentencesExcluded },
        duplicates_removed: stats.sentencesDuplicate,
        skipped: { deleted: stats.deleted, before_since: stats.beforeSince, undated: stats.undated, unreadable: stats.unreadable.length },
        created: new Date().toISOString(),
      });
      const range = stats.dateRange ? `, published ${stats.dateRange.from} … ${stats.dateRange.to}` : '';
      io.out(
        `corpus export: ${manifest.documents} documents, ${manifest.sentences} sentences, ${manifest.words} words in ${writer.shards.length} shards + heldout.txt (${writer.heldout.documents} documents) → ${resolve(out)}${range}; removed ${stats.sentencesExcluded} excluded and ${stats.sentencesDuplicate} repeated sentences`,
      );
      return 0;
    } catch (err) {
      writer.abandon();
      throw err;
    } finally {
      await log.close();
    }
  },
};
