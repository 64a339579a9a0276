/**
 * `litmine reprocess`: replays every article with the configured models into an index set (named
 * after the models' version hash unless --set is given), then makes it the live set in one atomic
 * swap; queries keep answering from the live set meanwhile. The same on both stores: Elasticsearch
 * swaps its aliases, the embedded store its live-set pointer. A stopped reprocess resumes its set.
 *
 *   LITMINE_NER_MODEL=models/ner-v2 litmine reprocess --drop-previous
 */
import { modelVersionHash } from '../../records/ids.js';
import { indexSetName } from '../../store/index-set-name.js';
import type { SearchStore } from '../../store/store.js';
import { runReprocess } from '../../../topologies/reprocess.js';
import { topicSpecs } from '../../../topologies/topics.js';
import type { Command } from '../command.js';
import { openAnnotator, openLog, openStore } from '../open-services.js';
import { Progress } from '../progress.js';

export const reprocessCommand: Command = {
  name: 'reprocess',
  summary: 'replay all articles with the configured models into a new index set, then make it the live set',
  usage: 'litmine reprocess [--set NAME] [--no-swap] [--drop-previous]',
  options: { set: { type: 'string' }, 'no-swap': { type: 'boolean' }, 'drop-previous': { type: 'boolean' } },
  async run({ values }, context) {
    const { config, io, signal } = context;
    const log = await openLog(config);
    const store = await openStore(config);
    const annotator = await openAnnotator(config, context.installDir, io.err);
    let target: SearchStore | null = null;
    try {
      await log.ensureTopics(topicSpecs(config));
      await store.init();
      const models = annotator.models.re ? [annotator.models.ner, annotator.models.re] : [annotator.models.ner];
      const set = indexSetName((values.set as string | undefined) ?? modelVersionHash(models));
      const live = await store.currentIndexSet();
      target = await store.createIndexSet(set, { bulkLoad: true });
      io.err(
        live === set
          ? `reprocess: index set ${set} is the live one; rewriting it in place`
          : `reprocess: filling index set ${set}; queries keep answering from ${live ?? 'no set'}`,
      );
      const group = `litmine-reprocess-${set}`;
      const progress = new Progress(io, 'reprocess', { unit: 'articles' });
      const lag = await log.lag(group, [config.topics.articles]);
      progress.setTotal(lag.reduce((n, p) => n + (p.committed === null ? Number(p.end) : p.lag), 0));
      await runReprocess({ log, annotator, target, topics: config.topics, group, signal, onBatch: (n) => progress.tick(n) });
      progress.done();
      if (signal.aborted) {
        io.out(`reprocess: interrupted; run it again to resume set ${set}`);
        return 130;
      }
      if (values['no-swap']) {
        io.out(`reprocess: index set ${set} is complete; the live set is unchanged (--no-swap)`);
      } else {
        const previous = await store.swapTo(set);
        const was = previous && previous !== set ? previous : null;
        if (was && values['drop-previous']) {
          await store.dropIndexSet(was);
          io.out(`reprocess: index set ${set} is now live; dropped the previous set ${was}`);
        } else {
          io.out(
            `reprocess: index set ${set} is now live${was ? ` (was ${was}, kept: --drop-previous removes the previous set after the swap)` : ''}`,
          );
        }
      }
      const counts = await target.counts();
      io.out(
        `reprocess: ${counts.articles} articles, ${counts.sentences} sentences, ${counts.mentions} mentions, ${counts.relations} relations with ${models.map((m) => `${m.name}@${m.version}`).join(' + ')}`,
      );
      return 0;
    } finally {
      await target?.close();
      await annotator.close();
      await store.close();
      await log.close();
    }
  },
};
