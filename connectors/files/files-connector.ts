/**
 * The `files` source: PubMed XML and JATS files from a directory or glob, for backfills and offline
 * use (`litmine run --from DIR`). Files are read in sorted order; the cursor is the file being read
 * plus the number of its records already delivered, so a restart skips exactly what was produced.
 *
 *   new FilesConnector({ paths: ['/data/pubmed'], cursorStore }).batches() → batches of ≤ 100 records
 */
import { createHash } from 'node:crypto';
import { LitmineError } from '../../src/errors.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import type { ArticleBatch, BatchOptions, Connector, CursorStore, XmlStreamParser } from '../connector.js';
import { readXmlRecords } from '../read-xml-records.js';
import { byCodePoint, listInputFiles } from './list-input-files.js';

export interface FilesConnectorOptions {
  /** Files, directories (read recursively) or globs. */
  paths: string | string[];
  cursorStore: CursorStore;
  parse: XmlStreamParser;
  /** Records per batch (default 100). */
  batchSize?: number;
  /** false ignores a saved cursor and reads everything again (default true). */
  resume?: boolean;
}

/** JSON shape of the cursor (opaque to callers). */
export interface FilesCursor {
  v: 1;
  /** Hash of the sorted input files: a cursor saved for another `--from` is ignored. */
  inputs: string;
  file: string;
  /** Records of `file` already delivered. */
  next: number;
  /** `file` was read to its end. */
  done: boolean;
}

export class FilesConnector implements Connector {
  readonly source = 'files' as const;
  /** Non-XML files left out by the last `batches()` call. */
  skippedFiles: string[] = [];

  constructor(private readonly options: FilesConnectorOptions) {}

  async *batches(options: BatchOptions = {}): AsyncIterable<ArticleBatch> {
    const { signal } = options;
    const batchSize = this.options.batchSize ?? 100;
    const inputs = (Array.isArray(this.options.paths) ? this.options.paths : [this.options.paths]).slice();
    const { files, skipped, skippedFiles } = listInputFiles(inputs);
    this.skippedFiles = skippedFiles;
    if (files.length === 0) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `no XML input in ${inputs.join(', ')}`);
    const inputKey = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
    const saved = this.options.resume === false ? null : parseCursor(await this.options.cursorStore.get('files'));
    const start = saved && saved.inputs === inputKey ? saved : null;

    let records: ParsedRecord[] = [];
    let pendingSkips: Record<string, number> = skipped ? { 'non-xml': skipped } : {};
    let position: FilesCursor | null = null;
    let emitted = start ? JSON.stringify(start) : null;
    const batch = (cursor: FilesCursor): ArticleBatch => {
      const out: ArticleBatch = { records, cursor: JSON.stringify(cursor), source: 'files', cursorKey: 'files' };
      if (Object.keys(pendingSkips).length) out.skipped = pendingSkips;
      records = [];
      pendingSkips = {};
      emitted = out.cursor;
      return out;
    };

    for (const file of files) {
      if (start) {
        const order = byCodePoint(file, start.file);
        if (order < 0 || (order === 0 && start.done)) continue;
      }
      const skipTo = start && start.file === file ? start.next : 0;
      let n = 0;
      for await (const record of readXmlRecords(file, this.options.parse)) {
        if (signal?.aborted) return;
        n++;
        if (n <= skipTo) continue;
        records.push(record);
        if (records.length >= batchSize) {
          position = { v: 1, inputs: inputKey, file, next: n, done: false };
          yield batch(position);
        }
      }
      position = { v: 1, inputs: inputKey, file, next: n, done: true };
    }
    if (signal?.aborted) return;
    // A last batch carries the remaining records, or just the cursor when files ended exactly on a
    // batch boundary (or were empty), so a rerun does not reopen finished files.
    if (position && (records.length || JSON.stringify(position) !== emitted || Object.keys(pendingSkips).length)) {
      yield batch(position);
    }
  }
}

function parseCursor(text: string | null): FilesCursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as FilesCursor;
    return c && c.v === 1 && typeof c.file === 'string' && typeof c.inputs === 'string' ? c : null;
  } catch {
    return null;
  }
}
