/**
 * `litmine status [--json]`: topics with their offsets, each consumer group's lag, the last runs,
 * and what the store holds (JSON keys `articles`, `sentences`, `mentions`, `relations`).
 *
 *   litmine status --json | jq .store.articles
 */
import type { Command } from '../command.js';
import { limitRule } from '../flag-values.js';
import { dataPath, openLog, openStore } from '../open-services.js';
import { listRuns } from '../../../topologies/schedule.js';
import { ANNOTATE_GROUP } from '../../../topologies/annotate.js';
import { INDEX_GROUP } from '../../../topologies/index.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'topics, offsets and lag, last runs, and store counts',
  usage: 'litmine status [--runs N] [--json]',
  options: { json: { type: 'boolean' }, runs: { type: 'string', value: limitRule() } },
  async run({ values }, { config, io }) {
    const log = await openLog(config, { readOnly: true });
    const store = await openStore(config, { readOnly: true });
    try {
      await store.init();
      const topicNames = Object.values(config.topics);
      const topics = (await log.describe(topicNames)).map((t) => ({
        name: t.name,
        partitions: t.partitions.length,
        messages: t.partitions.reduce((n, p) => n + Number(BigInt(p.end) - BigInt(p.start)), 0),
        endOffsets: t.partitions.map((p) => p.end),
      }));
      const groups = [
        { group: ANNOTATE_GROUP, topics: [config.topics.articles] },
        { group: INDEX_GROUP, topics: [config.topics.articles, config.topics.annotations] },
      ];
      const lag = [];
      for (const g of groups) {
        const parts =
          topics.length > 0
            ? await log.lag(
                g.group,
                g.topics.filter((n) => topics.some((t) => t.name === n)),
              )
            : [];
        lag.push({ group: g.group, lag: parts.reduce((n, p) => n + p.lag, 0), partitions: parts });
      }
      const counts = await store.counts();
      const runs = listRuns(dataPath(config), (values.runs as number | undefined) ?? 5);
      const status = {
        dataDir: config.dataDir,
        log: config.log.kind,
        store: { kind: config.store.kind, ...counts },
        ...counts,
        topics,
        consumerGroups: lag,
        runs,
      };
      if (values.json) {
        io.out(JSON.stringify(status, null, 2));
        return 0;
      }
      io.out(`log: ${config.log.kind}    store: ${config.store.kind}    data dir: ${config.dataDir}`);
      io.out('topics:');
      if (topics.length === 0) io.out('  (none yet — run `litmine run --from DIR`)');
      for (const t of topics) io.out(`  ${t.name.padEnd(24)} ${String(t.messages).padStart(8)} messages in ${t.partitions} partition(s)`);
      io.out('consumer groups:');
      for (const g of lag) io.out(`  ${g.group.padEnd(24)} lag ${g.lag}`);
      io.out(
        `store: ${counts.articles} articles, ${counts.sentences} sentences, ${counts.mentions} mentions, ${counts.relations} relations`,
      );
      io.out('last runs:');
      if (runs.length === 0) io.out('  (none)');
      for (const r of runs) {
        const window = r.days.length > 0 ? `${r.days[0]}…${r.days.at(-1)} (${r.completedDays.length}/${r.days.length} days)` : 'files';
        const sources = Object.entries(r.counts)
          .filter(([k]) => k !== 'annotate' && k !== 'index')
          .map(([k, c]) => `${k}: ${c.articles ?? 0} articles, ${c.deletes ?? 0} deletes`)
          .join('; ');
        const annotated = r.counts.annotate
          ? `; ${r.counts.annotate.mentions ?? 0} mentions, ${r.counts.annotate.relations ?? 0} relations`
          : '';
        const what = r.ok ? `${sources || 'nothing new'}${annotated}` : `FAILED ${r.error?.code}: ${r.error?.message}`;
        io.out(`  ${r.startedAt}  ${r.trigger.padEnd(6)} ${(r.durationMs / 1000).toFixed(0).padStart(5)} s  ${window}: ${what}`);
      }
      return 0;
    } finally {
      await store.close();
      await log.close();
    }
  },
};
