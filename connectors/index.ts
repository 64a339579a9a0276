/**
 * The connectors' front door: `createConnector(source, config, cursorStore, options)` builds any
 * source with the project's parser, one shared HTTP agent and one shared E-utilities rate limiter.
 * The CLI and the schedule call only this; tests build the classes directly with fakes.
 *
 *   const c = createConnector('files', config, new JsonCursorStore(config.dataDir), { paths: ['data/'] });
 */
import { resolve } from 'node:path';
import type { LitmineConfig } from '../src/config/config-schema.js';
import { LitmineError } from '../src/errors.js';
import { parseXmlStream } from '../src/parse/parse-xml-file.js';
import type { Connector, ConnectorSource, CursorStore, XmlStreamParser } from './connector.js';
import { FilesConnector } from './files/files-connector.js';
import { HttpClient } from './http/http-client.js';
import { type RateLimiter, sharedRateLimiter } from './http/rate-limiter.js';
import { PmcConnector } from './pmc/pmc-connector.js';
import { EutilsClient } from './pubmed-eutils/eutils-client.js';
import { PubmedEutilsConnector } from './pubmed-eutils/pubmed-eutils-connector.js';
import { PubmedUpdatefilesConnector } from './pubmed-updatefiles/pubmed-updatefiles-connector.js';

export type { ArticleBatch, BatchOptions, Connector, ConnectorSource, CursorStore } from './connector.js';
export { JsonCursorStore } from './json-cursor-store.js';
export { MemoryCursorStore } from './memory-cursor-store.js';

export interface CreateConnectorOptions {
  /** `files`: files, directories or globs (required). */
  paths?: string | string[];
  /** Records per batch for `files` and `updatefiles` (default 100). */
  batchSize?: number;
  /** false ignores the saved cursor (default true). */
  resume?: boolean;
  /** Replaces the project's XML parser (tests). */
  parse?: XmlStreamParser;
  /** Replaces the process-wide E-utilities limiter (3/s, or 10/s with an API key). */
  limiter?: RateLimiter;
  /** Replaces the default HTTP client (retries, timeouts; tests shorten the backoff). */
  http?: HttpClient;
  /** esearch term for `pubmed` (default `all[sb]`) or `pmc` (default `open access[filter]`). */
  term?: string;
  /** `pmc`: keep only licences that allow commercial reuse. */
  commercialOnly?: boolean;
  /** Today, for default windows. */
  now?: () => Date;
}

/** The E-utilities client for a configuration: one limiter per base URL and key presence, process-wide. */
export function eutilsClientFor(ncbi: LitmineConfig['ncbi'], options: Pick<CreateConnectorOptions, 'limiter' | 'http'> = {}): EutilsClient {
  const limiter = options.limiter ?? sharedRateLimiter(new URL(ncbi.eutilsBaseUrl).origin, ncbi.apiKey ? 10 : 3);
  const http = options.http ?? new HttpClient({ limiter });
  return new EutilsClient({ baseUrl: ncbi.eutilsBaseUrl, http, apiKey: ncbi.apiKey, tool: ncbi.tool, email: ncbi.email });
}

export function createConnector(
  source: ConnectorSource,
  config: Readonly<LitmineConfig>,
  cursorStore: CursorStore,
  options: CreateConnectorOptions = {},
): Connector {
  const parse = options.parse ?? (parseXmlStream as XmlStreamParser);
  switch (source) {
    case 'files':
      if (!options.paths || (Array.isArray(options.paths) && options.paths.length === 0)) {
        throw new LitmineError('LITMINE_USAGE', 'the files source needs paths (litmine run --from DIR)');
      }
      return new FilesConnector({ paths: options.paths, cursorStore, parse, batchSize: options.batchSize, resume: options.resume });
    case 'pubmed':
      return new PubmedEutilsConnector({
        ncbi: config.ncbi,
        eutils: eutilsClientFor(config.ncbi, options),
        cursorStore,
        parse,
        term: options.term,
        resume: options.resume,
        now: options.now,
      });
    case 'pmc':
      return new PmcConnector({
        ncbi: config.ncbi,
        eutils: eutilsClientFor(config.ncbi, options),
        cursorStore,
        parse,
        term: options.term,
        commercialOnly: options.commercialOnly,
        resume: options.resume,
        now: options.now,
      });
    case 'updatefiles':
      return new PubmedUpdatefilesConnector({
        baseUrl: config.ncbi.updateFilesBaseUrl,
        // The FTP site has no published limit; 3/s keeps us polite. A 40 MB file needs long timeouts.
        http:
          options.http ??
          new HttpClient({ limiter: sharedRateLimiter(new URL(config.ncbi.updateFilesBaseUrl).origin, 3), bodyTimeoutMs: 300_000 }),
        cacheDir: resolve(config.dataDir, 'cache', 'updatefiles'),
        cursorStore,
        parse,
        batchSize: options.batchSize,
        resume: options.resume,
        now: options.now,
      });
    default:
      throw new LitmineError('LITMINE_USAGE', `unknown source "${String(source)}" (pubmed, pmc, updatefiles, files)`);
  }
}
