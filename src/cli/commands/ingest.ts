/**
 * `litmine ingest --from DIR|FILE ...`: only the first stage — parse local XML into the articles
 * topic (workers or a later `litmine run` annotate and index it).
 *
 *   litmine ingest --from ../shared/data/pubmed-xml
 */
import type { Command } from '../command.js';
import { openSourceConnectors } from '../open-connectors.js';
import { openLog } from '../open-services.js';
import { Progress } from '../progress.js';
import { runIngest } from '../../../topologies/ingest.js';
import { topicSpecs } from '../../../topologies/topics.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'parse PubMed/PMC XML (or one NCBI window) into the articles topic',
  usage: 'litmine ingest --from DIR|FILE ... | --source pubmed|pmc|updatefiles --since YYYY-MM-DD [--until YYYY-MM-DD]',
  options: {
    from: { type: 'string', multiple: true },
    source: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
  },
  async run({ values }, context) {
    const { config, io, signal } = context;
    const from = (values.from as string[] | undefined) ?? [];
    if (from.length === 0 && !values.source) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const { connectors, cursors, since, until, description } = await openSourceConnectors(context, {
      from,
      source: values.source as string | undefined,
      since: values.since as string | undefined,
      until: values.until as string | undefined,
    });
    const log = await openLog(config);
    try {
      await log.ensureTopics(topicSpecs(config));
      const progress = new Progress(io, 'ingest', { unit: 'records' });
      let articles = 0;
      let deletes = 0;
      let errors = 0;
      for (const connector of connectors) {
        let seen = 0;
        const stats = await runIngest({
          log,
          connector,
          cursors,
          topics: config.topics,
          since,
          until,
          signal,
          onBatch: (s) => {
            progress.tick(s.articles + s.deletes + s.errors - seen);
            seen = s.articles + s.deletes + s.errors;
          },
        });
        articles += stats.articles;
        deletes += stats.deletes;
        errors += stats.errors;
      }
      progress.done(`from ${description}`);
      io.out(`ingested ${articles} articles and ${deletes} deletes into ${config.topics.articles}${errors ? `; ${errors} bad records went to ${config.topics.deadLetters}` : ''}`);
      return 0;
    } finally {
      await log.close();
    }
  },
};
