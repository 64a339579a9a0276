/**
 * `litmine ingest --from DIR|FILE ...`: only the first stage — parse local XML into the articles
 * topic (workers or a later `litmine run` annotate and index it).
 *
 *   litmine ingest --from ../shared/data/pubmed-xml
 */
import { FilesConnector } from '../../../connectors/files/files-connector.js';
import { JsonCursorStore } from '../../../connectors/json-cursor-store.js';
import { LitmineError } from '../../errors.js';
import { parseXmlStream } from '../../parse/parse-xml-file.js';
import type { Command } from '../command.js';
import { DAY } from '../flag-values.js';
import { dataPath, openLog } from '../open-services.js';
import { ingestProblemLines } from '../ingest-problems.js';
import { Progress } from '../progress.js';
import {
  addIngestProblems,
  addInvalidUtf8,
  type IngestConnector,
  type IngestStats,
  invalidUtf8Note,
  runIngest,
} from '../../../topologies/ingest.js';
import { topicSpecs } from '../../../topologies/topics.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'parse PubMed/PMC XML (or one NCBI window) into the articles topic',
  usage: 'litmine ingest --from DIR|FILE ... | --source pubmed|pmc|updatefiles --since YYYY-MM-DD [--until YYYY-MM-DD]',
  options: {
    from: { type: 'string', multiple: true },
    source: { type: 'string', value: { kind: 'choice', choices: ['pubmed', 'pmc', 'updatefiles'] } },
    since: { type: 'string', value: DAY },
    until: { type: 'string', value: DAY },
  },
  async run({ values }, context) {
    const { config, io, signal } = context;
    const from = (values.from as string[] | undefined) ?? [];
    if (from.length === 0 && !values.source) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const source = values.source as string | undefined;
    const since = values.since as string | undefined;
    const until = (values.until as string | undefined) ?? since;
    const cursors = new JsonCursorStore(dataPath(config));
    let connectors: IngestConnector[];
    let description: string;
    if (from.length > 0) {
      connectors = [new FilesConnector({ paths: from, cursorStore: cursors, parse: parseXmlStream })];
      description = `files ${from.join(', ')}`;
    } else {
      if (!since) throw new LitmineError('LITMINE_USAGE', `--source ${source} needs --since YYYY-MM-DD`);
      const { createConnector } = await import('../../../connectors/index.js');
      connectors = [createConnector(source as 'pubmed', config, cursors)];
      description = `${source} ${since}…${until}`;
    }
    const log = await openLog(config);
    try {
      await log.ensureTopics(topicSpecs(config));
      const progress = new Progress(io, 'ingest', { unit: 'records' });
      let articles = 0;
      let deletes = 0;
      let errors = 0;
      const totals: IngestStats = { batches: 0, articles: 0, deletes: 0, errors: 0, skipped: {}, bySource: {} };
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
        addInvalidUtf8(totals, stats.invalidUtf8);
        addIngestProblems(totals, stats);
      }
      progress.done(`from ${description}`);
      io.out(
        `ingested ${articles} articles and ${deletes} deletes into ${config.topics.articles}${errors ? `; ${errors} bad records went to ${config.topics.deadLetters}` : ''}` +
          invalidUtf8Note(totals.invalidUtf8),
      );
      for (const line of ingestProblemLines(totals, config.topics.deadLetters)) io.out(line);
      return 0;
    } finally {
      await log.close();
    }
  },
};
