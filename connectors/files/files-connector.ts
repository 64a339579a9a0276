/**
 * The `files` source: PubMed XML and JATS files from a directory or glob, for backfills and offline
 * use (`litmine run --from DIR`). Files are read in sorted order; the cursor remembers every file
 * by path with its size and modification time and how many of its records were delivered, so a
 * restart skips exactly what was produced, a daily run over a growing folder reads only the new
 * files, and a file that changed (size or mtime) is read again.
 *
 *   new FilesConnector({ paths: ['/data/pubmed'], cursorStore }).batches() → batches of ≤ 100 records
 */
import { statSync } from 'node:fs';
import { LitmineError } from '../../src/errors.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import type { ArticleBatch, BatchOptions, Connector, CursorStore, SkippedInput, XmlStreamParser } from '../connector.js';
import { readXmlRecords } from '../read-xml-records.js';
import { listInputFiles } from './list-input-files.js';

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

/** Where one file stands: identified by size and mtime, so a rewritten file is read again. */
export interface FileCursor {
  size: number;
  mtimeMs: number;
  /** Records of the file already delivered. */
  next: number;
  /** The file was read to its end. */
  done: boolean;
}

/** JSON shape of the cursor (opaque to callers): every file ever read under this key, by absolute path. */
export interface FilesCursor {
  v: 2;
  files: Record<string, FileCursor>;
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
    const { files, skipped, skippedFiles, unreadable } = listInputFiles(inputs);
    this.skippedFiles = skippedFiles;
    if (files.length === 0) {
      const why = unreadable.length ? ` (${unreadable.length} unreadable: ${unreadable[0]!.file}: ${unreadable[0]!.reason})` : '';
      throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `no XML input in ${inputs.join(', ')}${why}`);
    }
    const saved = this.options.resume === false ? null : parseCursor(await this.options.cursorStore.get('files'));
    // Entries of files outside this run's inputs are kept: alternating `--from` folders lose nothing.
    const cursor: FilesCursor = { v: 2, files: { ...(saved?.files ?? {}) } };

    let records: ParsedRecord[] = [];
    let pendingSkips: Record<string, number> = skipped ? { 'non-xml': skipped } : {};
    let pendingInputs: SkippedInput[] = [];
    const skipInput = (s: SkippedInput) => {
      pendingInputs.push(s);
      pendingSkips.unreadable = (pendingSkips.unreadable ?? 0) + 1;
    };
    for (const s of unreadable) skipInput(s);
    let emitted = JSON.stringify(cursor);
    const batch = (): ArticleBatch => {
      const out: ArticleBatch = { records, cursor: JSON.stringify(cursor), source: 'files', cursorKey: 'files' };
      if (Object.keys(pendingSkips).length) out.skipped = pendingSkips;
      if (pendingInputs.length) out.skippedInputs = pendingInputs;
      records = [];
      pendingSkips = {};
      pendingInputs = [];
      emitted = out.cursor;
      return out;
    };

    for (const file of files) {
      const stat = statSync(file, { throwIfNoEntry: false });
      if (stat === undefined) {
        // Listed a moment ago and gone now (or a link whose target went): the others are still read.
        skipInput({ file, code: 'LITMINE_INPUT_NOT_FOUND', reason: 'removed before it was read' });
        continue;
      }
      const { size, mtimeMs } = stat;
      const entry = cursor.files[file];
      const same = entry !== undefined && entry.size === size && entry.mtimeMs === mtimeMs;
      if (same && entry.done) continue;
      const skipTo = same ? entry.next : 0;
      let n = 0;
      for await (const record of readXmlRecords(file, this.options.parse)) {
        if (signal?.aborted) return;
        n++;
        if (n <= skipTo) continue;
        records.push(record);
        if (records.length >= batchSize) {
          cursor.files[file] = { size, mtimeMs, next: n, done: false };
          yield batch();
        }
      }
      cursor.files[file] = { size, mtimeMs, next: n, done: true };
    }
    if (signal?.aborted) return;
    // A last batch carries the remaining records, or just the cursor when files ended exactly on a
    // batch boundary (or were empty), so a rerun does not reopen finished files.
    if (records.length || JSON.stringify(cursor) !== emitted || Object.keys(pendingSkips).length || pendingInputs.length) {
      yield batch();
    }
  }
}

function parseCursor(text: string | null): FilesCursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as FilesCursor;
    // A version-1 cursor (one position in one file list) cannot say which files are done: read again.
    return c && c.v === 2 && c.files && typeof c.files === 'object' ? c : null;
  } catch {
    return null;
  }
}
