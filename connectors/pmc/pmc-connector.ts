/**
 * The `pmc` source: open-access full texts PMC added in a window of days, through EFetch db=pmc
 * (esearch `open access[filter]` + history server + efetch `<pmc-articleset>`), sharing the
 * E-utilities limiter with the pubmed source. Each article keeps its licence; articles whose
 * licence does not allow text mining are dropped and counted (`batch.skipped.licence`).
 *
 *   new PmcConnector({ ncbi: config.ncbi, eutils, cursorStore, parse }).batches({ since: '2026-01-03' })
 */
import type { LitmineConfig } from '../../src/config/config-schema.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import type { CursorStore, XmlStreamParser } from '../connector.js';
import type { EutilsClient } from '../pubmed-eutils/eutils-client.js';
import { EutilsWindowConnector } from '../pubmed-eutils/eutils-window-connector.js';
import { allowsCommercialUse, textMiningLicence } from './text-mining-licence.js';

export interface PmcConnectorOptions {
  ncbi: Pick<LitmineConfig['ncbi'], 'efetchBatchSize' | 'datetype'>;
  eutils: EutilsClient;
  cursorStore: CursorStore;
  parse: XmlStreamParser;
  /** Default `open access[filter]` (the PMC Open Access Subset). */
  term?: string;
  /** Keep only licences that allow commercial reuse (the oa_comm collection). */
  commercialOnly?: boolean;
  windowLimit?: number;
  resume?: boolean;
  now?: () => Date;
}

export class PmcConnector extends EutilsWindowConnector {
  constructor(options: PmcConnectorOptions) {
    super({
      source: 'pmc',
      db: 'pmc',
      term: options.term ?? 'open access[filter]',
      datetype: options.ncbi.datetype,
      rootElement: 'pmc-articleset',
      eutils: options.eutils,
      cursorStore: options.cursorStore,
      parse: options.parse,
      // Full texts are ~50× a citation: keep each efetch answer to a few MB.
      batchSize: Math.min(options.ncbi.efetchBatchSize, 50),
      windowLimit: options.windowLimit,
      resume: options.resume,
      now: options.now,
      filter: (record) => licenceVerdict(record, options.commercialOnly ?? false),
    });
  }
}

export function licenceVerdict(record: ParsedRecord, commercialOnly: boolean): true | string {
  if (record.kind !== 'article') return true;
  const c = textMiningLicence(record.article.license);
  if (!c) return 'licence';
  if (commercialOnly && !allowsCommercialUse(c)) return 'licence-noncommercial';
  return true;
}
