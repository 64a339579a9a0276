/**
 * The connector contract: every source (PubMed E-utilities, PMC, PubMed update files, local files) is
 * an async iterator of ArticleBatches, each carrying the opaque cursor that resumes right after it.
 * The ingest topology produces a batch to the articles topic and only then saves `batch.cursor`
 * under `batch.cursorKey`, so a crash replays at most one batch (harmless: ids are deterministic).
 *
 *   for await (const batch of connector.batches({ since: '2026-01-03', until: '2026-01-03' })) { … }
 */
import type { ErrorCode } from '../src/errors.js';
import type { ParsedRecord } from '../src/parse/parsed-record.js';

/** An input left out because it cannot be read, with the code and reason the run summary prints. */
export interface SkippedInput {
  file: string;
  code: ErrorCode;
  reason: string;
}

export type ConnectorSource = 'pubmed' | 'pmc' | 'updatefiles' | 'files';

export interface ArticleBatch {
  records: ParsedRecord[];
  /** Opaque JSON string; saving it and restarting continues right after this batch. */
  cursor: string;
  source: ConnectorSource;
  /** The CursorStore key to save `cursor` under (the source name). */
  cursorKey: string;
  /** Records left out on purpose since the previous batch, by reason ("licence", "non-xml"). */
  skipped?: Record<string, number>;
  /** Inputs left out since the previous batch because they cannot be read (a link to a missing file). */
  skippedInputs?: SkippedInput[];
}

export interface BatchOptions {
  /** First day (YYYY-MM-DD, inclusive) for dated sources; ignored by `files`. */
  since?: string;
  /** Last day (YYYY-MM-DD, inclusive); defaults to `since` for the daily window. */
  until?: string;
  signal?: AbortSignal;
}

export interface Connector {
  readonly source: ConnectorSource;
  batches(options?: BatchOptions): AsyncIterable<ArticleBatch>;
}

/** Durable cursors in the data directory, one per source. */
export interface CursorStore {
  get(source: string): Promise<string | null>;
  set(source: string, cursor: string): Promise<void>;
}

/** Parses one XML document (PubMed set, update file, JATS, pmc-articleset) as a stream of records. */
export type XmlStreamParser = (input: NodeJS.ReadableStream | AsyncIterable<Buffer | string>, name: string) => AsyncIterable<ParsedRecord>;
