/**
 * The `updatefiles` source: PubMed's daily update files (pubmedYYnNNNN.xml.gz, each with an .md5)
 * from the HTML directory index at `ncbi.updateFilesBaseUrl`. Each file is downloaded to the data
 * directory with its md5 checked, then parsed as a stream (new and revised citations, and
 * DeleteCitation tombstones). Cursor = the file in progress + records delivered from it.
 *
 *   new PubmedUpdatefilesConnector({ baseUrl, http, cacheDir, cursorStore, parse }).batches({ since: '2026-01-03' })
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LitmineError } from '../../src/errors.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import type { ArticleBatch, BatchOptions, Connector, CursorStore, XmlStreamParser } from '../connector.js';
import type { HttpClient } from '../http/http-client.js';
import { assertDay, toDay } from '../pubmed-eutils/day-range.js';
import { readXmlRecords } from '../read-xml-records.js';

export interface PubmedUpdatefilesConnectorOptions {
  baseUrl: string;
  http: HttpClient;
  /** Where files are downloaded to (inside the data directory); each is removed once read. */
  cacheDir: string;
  cursorStore: CursorStore;
  parse: XmlStreamParser;
  batchSize?: number;
  resume?: boolean;
  now?: () => Date;
}

export interface UpdateFile {
  name: string;
  /** Day the index lists the file as modified (YYYY-MM-DD), when it says. */
  day?: string;
}

export interface UpdatefilesCursor {
  v: 1;
  file: string;
  next: number;
  done: boolean;
}

const UPDATE_FILE = /^pubmed\d{2}n\d{4}\.xml\.gz$/;

export class PubmedUpdatefilesConnector implements Connector {
  readonly source = 'updatefiles' as const;

  constructor(private readonly options: PubmedUpdatefilesConnectorOptions) {}

  async listFiles(signal?: AbortSignal): Promise<UpdateFile[]> {
    const res = await this.options.http.get(`${this.base()}/`, { signal });
    return parseDirectoryIndex(res.body.toString('utf8'));
  }

  async *batches(options: BatchOptions = {}): AsyncIterable<ArticleBatch> {
    const { signal } = options;
    const batchSize = this.options.batchSize ?? 100;
    const saved = this.options.resume === false ? null : parseCursor(await this.options.cursorStore.get(this.source));
    const yesterday = toDay(new Date((this.options.now?.() ?? new Date()).getTime() - 86_400_000));
    // With a cursor and no window, everything after it; otherwise the files listed in the window.
    const since = options.since ?? (saved ? undefined : yesterday);
    const until = options.until ?? options.since;
    if (since) assertDay(since, 'since');
    if (until) assertDay(until, 'until');

    const files = (await this.listFiles(signal)).filter((f) => {
      if (saved && (f.name < saved.file || (f.name === saved.file && saved.done))) return false;
      if (since && (!f.day || f.day < since)) return false;
      if (until && f.day && f.day > until) return false;
      return true;
    });
    mkdirSync(this.options.cacheDir, { recursive: true });
    for (const file of files) {
      if (signal?.aborted) return;
      const skipTo = saved && saved.file === file.name ? saved.next : 0;
      const path = join(this.options.cacheDir, file.name);
      await this.fetchVerified(file.name, path, signal);
      let records: ParsedRecord[] = [];
      let n = 0;
      for await (const record of readXmlRecords(path, this.options.parse)) {
        if (signal?.aborted) return;
        n++;
        if (n <= skipTo) continue;
        records.push(record);
        if (records.length >= batchSize) {
          yield this.batch(records, { v: 1, file: file.name, next: n, done: false });
          records = [];
        }
      }
      // The file's last batch marks it done (even when empty), so a restart never reopens it.
      yield this.batch(records, { v: 1, file: file.name, next: n, done: true });
      rmSync(path, { force: true });
    }
  }

  private batch(records: ParsedRecord[], cursor: UpdatefilesCursor): ArticleBatch {
    return { records, cursor: JSON.stringify(cursor), source: this.source, cursorKey: this.source };
  }

  /** Downloads `name` and checks it against `name.md5`; a mismatch downloads again, then fails. */
  private async fetchVerified(name: string, path: string, signal?: AbortSignal): Promise<void> {
    const md5Text = (await this.options.http.get(`${this.base()}/${name}.md5`, { signal })).body.toString('utf8');
    const expected = /\b([0-9a-f]{32})\b/i.exec(md5Text)?.[1]?.toLowerCase();
    if (!expected) throw new LitmineError('LITMINE_HTTP_FAILED', `${name}.md5: no checksum in "${md5Text.slice(0, 80)}"`);
    await this.options.http.download(`${this.base()}/${name}`, path, {
      signal,
      verify: (md5) => {
        if (md5 !== expected) {
          throw new LitmineError('LITMINE_CHECKSUM', `${name}: md5 ${md5} does not match the published ${expected}`);
        }
      },
    });
  }

  private base(): string {
    return this.options.baseUrl.replace(/\/+$/, '');
  }
}

/**
 * The update files an HTML directory index lists, sorted by name, with the listed modification day.
 * NCBI's index is Apache-style: `<a href="pubmed26n1335.xml.gz">pubmed26n1335.xml.gz</a>  2026-01-03 14:02  22M`.
 */
export function parseDirectoryIndex(html: string): UpdateFile[] {
  const found = new Map<string, UpdateFile>();
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>[^<]*<\/a>([^\n<]*)/gi)) {
    const name = m[1]!.split('/').pop()!;
    if (!UPDATE_FILE.test(name)) continue;
    const day = /(\d{4}-\d{2}-\d{2})\s+\d{1,2}:\d{2}/.exec(m[2] ?? '')?.[1];
    found.set(name, day ? { name, day } : { name });
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function parseCursor(text: string | null): UpdatefilesCursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as UpdatefilesCursor;
    return c?.v === 1 && typeof c.file === 'string' && typeof c.next === 'number' ? c : null;
  } catch {
    return null;
  }
}
