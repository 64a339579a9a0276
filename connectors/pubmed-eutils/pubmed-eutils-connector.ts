/**
 * The `pubmed` source: every citation PubMed added (datetype=edat by default) in a window of days,
 * through esearch + the history server + efetch (200 per call by default), at NCBI's rate limit.
 * The same PMID later arriving from PMC is the same document (`pmid:<PMID>`); the store merges.
 *
 *   new PubmedEutilsConnector({ ncbi: config.ncbi, eutils, cursorStore, parse }).batches({ since: '2026-01-03' })
 */
import type { LitmineConfig } from '../../src/config/config-schema.js';
import type { CursorStore, XmlStreamParser } from '../connector.js';
import type { EutilsClient } from './eutils-client.js';
import { EutilsWindowConnector } from './eutils-window-connector.js';

export interface PubmedEutilsConnectorOptions {
  ncbi: Pick<LitmineConfig['ncbi'], 'efetchBatchSize' | 'datetype'>;
  eutils: EutilsClient;
  cursorStore: CursorStore;
  parse: XmlStreamParser;
  /** The esearch term the date window narrows (default `all[sb]`: all of PubMed). */
  term?: string;
  windowLimit?: number;
  resume?: boolean;
  now?: () => Date;
}

export class PubmedEutilsConnector extends EutilsWindowConnector {
  constructor(options: PubmedEutilsConnectorOptions) {
    super({
      source: 'pubmed',
      db: 'pubmed',
      term: options.term ?? 'all[sb]',
      datetype: options.ncbi.datetype,
      rootElement: 'PubmedArticleSet',
      eutils: options.eutils,
      cursorStore: options.cursorStore,
      parse: options.parse,
      batchSize: options.ncbi.efetchBatchSize,
      windowLimit: options.windowLimit,
      resume: options.resume,
      now: options.now,
    });
  }
}
