/**
 * Fetches everything an E-utilities database added in a date window: esearch with the history
 * server, then efetch in batches paging `retstart` through the WebEnv. A window with more hits than
 * esearch may page through (10,000) is split — into halves by day, then a single day into halves by
 * UID range — so no piece is ever too big. PubMed and PMC are this class with different settings.
 *
 *   new EutilsWindowConnector({ source: 'pubmed', db: 'pubmed', term: 'all[sb]', … }).batches({ since: '2026-01-03' })
 */
import { Readable } from 'node:stream';
import { LitmineError } from '../../src/errors.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import type { ArticleBatch, BatchOptions, Connector, CursorStore, XmlStreamParser } from '../connector.js';
import { addDays, assertDay, daysBetween, eutilsDate, toDay } from './day-range.js';
import { ESEARCH_LIMIT, type EsearchResult, type EutilsClient } from './eutils-client.js';

export interface EutilsWindowConnectorOptions {
  source: 'pubmed' | 'pmc';
  db: 'pubmed' | 'pmc';
  term: string;
  datetype: 'edat' | 'pdat' | 'mdat';
  /** Root element of an efetch answer (to detect truncated bodies). */
  rootElement: string;
  eutils: EutilsClient;
  cursorStore: CursorStore;
  parse: XmlStreamParser;
  /** Records per efetch (default 200, at most 10,000). */
  batchSize?: number;
  /** Largest count one esearch window may have before it is split (NCBI: 10,000; tests lower it). */
  windowLimit?: number;
  /** Keeps or drops each parsed record; a string return is the reason it was skipped. */
  filter?: (record: ParsedRecord) => true | string;
  resume?: boolean;
  /** Today, for the default window (yesterday). */
  now?: () => Date;
}

/** A piece of the requested window: whole days, optionally restricted to a UID range. */
export interface EutilsWindow {
  mindate: string;
  maxdate: string;
  uid?: [number, number];
}

export interface EutilsCursor {
  v: 1;
  db: string;
  term: string;
  since: string;
  until: string;
  window: EutilsWindow;
  /** Records of `window` already delivered. */
  retstart: number;
}

const MAX_UID = 999_999_999;

export class EutilsWindowConnector implements Connector {
  readonly source: 'pubmed' | 'pmc';

  constructor(private readonly options: EutilsWindowConnectorOptions) {
    this.source = options.source;
    const size = options.batchSize ?? 200;
    if (!(size >= 1 && size <= 10_000)) throw new LitmineError('LITMINE_CONFIG', `efetch batch size ${size} is not 1..10000`);
  }

  async *batches(options: BatchOptions = {}): AsyncIterable<ArticleBatch> {
    const { db, term } = this.options;
    const saved = this.options.resume === false ? null : parseCursor(await this.options.cursorStore.get(this.source));
    const yesterday = toDay(new Date((this.options.now?.() ?? new Date()).getTime() - 86_400_000));
    const since = options.since ?? (saved?.db === db && saved.term === term ? saved.since : yesterday);
    const until = options.until ?? (options.since ? options.since : saved?.db === db && saved.term === term ? saved.until : since);
    assertDay(since, 'since');
    assertDay(until, 'until');
    if (since > until) throw new LitmineError('LITMINE_USAGE', `since ${since} is after until ${until}`);
    const start = saved && saved.db === db && saved.term === term && saved.since === since && saved.until === until ? saved : null;

    const plan: EutilsWindow[] = [];
    if (start) {
      const w = start.window;
      if (w.uid && w.uid[1] < MAX_UID) plan.push({ mindate: w.maxdate, maxdate: w.maxdate, uid: [w.uid[1] + 1, MAX_UID] });
      if (w.maxdate < until) plan.push({ mindate: addDays(w.maxdate, 1), maxdate: until });
      yield* this.window(w, since, until, start.retstart, options.signal);
    } else {
      plan.push({ mindate: since, maxdate: until });
    }
    for (const w of plan) yield* this.window(w, since, until, 0, options.signal);
  }

  /** Delivers one window, splitting it while it is too big; `from` skips records already delivered. */
  private async *window(w: EutilsWindow, since: string, until: string, from: number, signal?: AbortSignal): AsyncIterable<ArticleBatch> {
    if (signal?.aborted) return;
    const limit = this.options.windowLimit ?? ESEARCH_LIMIT;
    let search = await this.search(w, signal);
    if (search.count === 0) return;
    if (search.count > limit) {
      // A resumed window that has grown past the limit restarts in pieces: repeats are harmless.
      for (const piece of split(w)) yield* this.window(piece, since, until, 0, signal);
      return;
    }
    const size = this.options.batchSize ?? 200;
    for (let retstart = from; retstart < search.count; retstart += size) {
      if (signal?.aborted) return;
      const retmax = Math.min(size, search.count - retstart);
      let body: Buffer;
      try {
        body = await this.fetch(search, retstart, retmax, signal);
      } catch (err) {
        // The history server forgets a WebEnv after a while (or on its own restart): search again once.
        if (!(err instanceof LitmineError && err.code === 'LITMINE_EUTILS_ERROR')) throw err;
        search = await this.search(w, signal);
        body = await this.fetch(search, retstart, retmax, signal);
      }
      const name = `efetch:${this.options.db}:${w.mindate}..${w.maxdate}${w.uid ? `:uid${w.uid[0]}-${w.uid[1]}` : ''}@${retstart}`;
      const records: ParsedRecord[] = [];
      const skipped: Record<string, number> = {};
      for await (const record of this.options.parse(Readable.from([body]), name)) {
        const verdict = this.options.filter ? this.options.filter(record) : true;
        if (verdict === true) records.push(record);
        else skipped[verdict] = (skipped[verdict] ?? 0) + 1;
      }
      const cursor: EutilsCursor = {
        v: 1,
        db: this.options.db,
        term: this.options.term,
        since,
        until,
        window: w,
        retstart: Math.min(search.count, retstart + size),
      };
      const batch: ArticleBatch = { records, cursor: JSON.stringify(cursor), source: this.source, cursorKey: this.source };
      if (Object.keys(skipped).length) batch.skipped = skipped;
      yield batch;
    }
  }

  private search(w: EutilsWindow, signal?: AbortSignal): Promise<EsearchResult> {
    const term = w.uid ? `(${this.options.term}) AND ${w.uid[0]}:${w.uid[1]}[uid]` : this.options.term;
    return this.options.eutils.esearch(
      {
        db: this.options.db,
        term,
        datetype: this.options.datetype,
        mindate: eutilsDate(w.mindate),
        maxdate: eutilsDate(w.maxdate),
      },
      signal,
    );
  }

  private fetch(search: EsearchResult, retstart: number, retmax: number, signal?: AbortSignal): Promise<Buffer> {
    return this.options.eutils.efetch(
      { db: this.options.db, webEnv: search.webEnv, queryKey: search.queryKey, retstart, retmax },
      this.options.rootElement,
      signal,
    );
  }
}

/** Halves a window: by days while it spans more than one, then by UID range. */
export function split(w: EutilsWindow): EutilsWindow[] {
  const days = daysBetween(w.mindate, w.maxdate);
  if (days > 0) {
    const mid = addDays(w.mindate, Math.floor(days / 2));
    return [
      { mindate: w.mindate, maxdate: mid },
      { mindate: addDays(mid, 1), maxdate: w.maxdate },
    ];
  }
  const [lo, hi] = w.uid ?? [1, MAX_UID];
  if (lo >= hi) throw new LitmineError('LITMINE_EUTILS_ERROR', `window ${w.mindate} UID ${lo} cannot be split further`);
  const mid = Math.floor((lo + hi) / 2);
  return [
    { ...w, uid: [lo, mid] },
    { ...w, uid: [mid + 1, hi] },
  ];
}

function parseCursor(text: string | null): EutilsCursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as EutilsCursor;
    return c?.v === 1 && c.window && typeof c.retstart === 'number' ? c : null;
  } catch {
    return null;
  }
}
