/**
 * `litmine reprocess`: replays every article with the configured models. On Elasticsearch it fills
 * a new index set (named after the models' version hash unless --set is given) and swaps the
 * aliases atomically when complete; queries keep answering from the old set meanwhile. On the
 * embedded store it rewrites the annotations in place.
 *
 *   LITMINE_NER_MODEL=models/ner-v2 litmine reprocess --store elasticsearch
 */
import { modelVersionHash } from '../../records/ids.js';
import type { SearchStore } from '../../store/store.js';
import { runReprocess } from '../../../topologies/reprocess.js';
import { topicSpecs } from '../../../topologies/topics.js';
import type { Command } from '../command.js';
import { openAnnotator, openLog, openStore } from '../open-services.js';
import { Progress } from '../progress.js';

interface IndexSets {
  createIndexSet(set: string, options?: { bulkLoad?: boolean }): Promise<void>;
  forIndexSet(set: string): SearchStore;
  swapAliases(set: string): Promise<string | null>;
}

export const reprocessCommand: Command = {
  name: 'reprocess',
  summary: 'replay all articles with the configured models into a new index set, then swap the aliases',
  usage: 'litmine reprocess [--set NAME] [--no-swap]',
  options: { set: { type: 'string' }, 'no-swap': { type: 'boolean' } },
  async run({ values }, context) {
    const { config, io, signal } = context;
    const log = await openLog(config);
    const store = await openStore(config);
    const annotator = await openAnnotator(config, context.installDir, io.err);
    try {
      await log.ensureTopics(topicSpecs(config));
      await store.init();
      const models = annotator.models.re ? [annotator.models.ner, annotator.models.re] : [annotator.models.ner];
      const set = (values.set as string | undefined) ?? modelVersionHash(models);
      const sets = store.kind === 'elasticsearch' ? (store as unknown as IndexSets) : null;
      let target: SearchStore = store;
      if (sets) {
        await sets.createIndexSet(set, { bulkLoad: true });
        target = sets.forIndexSet(set);
        io.err(`reprocess: filling index set ${set}; queries keep answering from the current one`);
      } else {
        io.err('reprocess: the embedded store is rewritten in place');
      }
      const progress = new Progress(io, 'reprocess', { unit: 'articles' });
      const lag = await log.lag(`litmine-reprocess-${set}`, [config.topics.articles]);
      progress.setTotal(lag.reduce((n, p) => n + (p.committed === null ? Number(p.end) : p.lag), 0));
      await runReprocess({
        log,
        annotator,
        target,
        topics: config.topics,
        group: `litmine-reprocess-${set}`,
        signal,
        onBatch: (n) => progress.tick(n),
      });
      progress.done();
      if (signal.aborted) {
        io.out(`reprocess: interrupted; run it again to resume set ${set}`);
        return 130;
      }
      if (sets && !values['no-swap']) {
        const previous = await sets.swapAliases(set);
        io.out(`reprocess: aliases now point at index set ${set}${previous ? ` (was ${previous}; delete it when no longer needed)` : ''}`);
      } else if (sets) {
        io.out(`reprocess: index set ${set} is complete; aliases unchanged (--no-swap)`);
      }
      const counts = await target.counts();
      io.out(
        `reprocess: ${counts.articles} articles, ${counts.sentences} sentences, ${counts.mentions} mentions, ${counts.relations} relations with ${models.map((m) => `${m.name}@${m.version}`).join(' + ')}`,
      );
      return 0;
    } finally {
      await annotator.close();
      await store.close();
      await log.close();
    }
  },
};
