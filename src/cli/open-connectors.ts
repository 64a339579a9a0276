/**
 * Picks the connectors for `litmine run` / `litmine ingest` from the command line: `--from` paths go
 * through the files connector; `--source S --since D` is one window of one source; with neither,
 * the scheduled NCBI sources for the days since the last successful run.
 *
 *   const { connectors, cursors } = await openSourceConnectors(context, { from: ['./xml'] });
 */
import { FilesConnector } from '../../connectors/files/files-connector.js';
import { JsonCursorStore } from '../../connectors/json-cursor-store.js';
import { LitmineError } from '../errors.js';
import { parseXmlStream } from '../parse/parse-xml-file.js';
import type { IngestConnector } from '../../topologies/ingest.js';
import type { CommandContext } from './command.js';
import { dataPath } from './open-services.js';
import { lastSuccessfulRun } from './record-run.js';

export interface SourceSelection {
  from: string[];
  source?: string;
  since?: string;
  until?: string;
}

export interface OpenedConnectors {
  connectors: IngestConnector[];
  cursors: JsonCursorStore;
  since?: string;
  until?: string;
  description: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function openSourceConnectors({ config }: CommandContext, selection: SourceSelection): Promise<OpenedConnectors> {
  const cursors = new JsonCursorStore(dataPath(config));
  for (const [flag, value] of [['--since', selection.since], ['--until', selection.until]] as const) {
    if (value !== undefined && !DAY.test(value)) throw new LitmineError('LITMINE_USAGE', `${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
  if (selection.from.length > 0 || selection.source === 'files') {
    if (selection.from.length === 0) throw new LitmineError('LITMINE_USAGE', '--source files needs --from DIR|FILE');
    const connector = new FilesConnector({ paths: selection.from, cursorStore: cursors, parse: parseXmlStream });
    return { connectors: [connector], cursors, description: `files ${selection.from.join(', ')}` };
  }

  const sources = selection.source ? [selection.source] : [...config.schedule.sources];
  for (const s of sources) {
    if (!['pubmed', 'pmc', 'updatefiles'].includes(s)) throw new LitmineError('LITMINE_USAGE', `unknown --source "${s}" (pubmed, pmc, updatefiles, files)`);
  }
  if (selection.source && !selection.since) throw new LitmineError('LITMINE_USAGE', `--source ${selection.source} needs --since YYYY-MM-DD`);
  const since = selection.since ?? (await defaultSince(config));
  const until = selection.until ?? (selection.since ? selection.since : yesterday());
  const connectorsModule = await import('../../connectors/index.js').catch((err: unknown) => {
    throw new LitmineError('LITMINE_USAGE', `the NCBI connectors could not be loaded (${(err as Error).message}); run on local files with --from DIR`, { cause: err });
  });
  const connectors = sources.map((s) => connectorsModule.createConnector(s as 'pubmed' | 'pmc' | 'updatefiles', config, cursors));
  return { connectors, cursors, since, until, description: `${sources.join(' + ')} ${since}…${until}` };
}

async function defaultSince(config: CommandContext['config']): Promise<string> {
  const last = await lastSuccessfulRun(config);
  if (last?.until) return nextDay(last.until);
  return yesterday();
}

function yesterday(): string {
  return new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
}
