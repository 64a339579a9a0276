// A local stand-in for NCBI E-utilities on 127.0.0.1: esearch answers are the real recorded
// esearch2.xml with Count/WebEnv/IdList filled in for the request's window, efetch bodies are real
// PubMed / PMC XML records from the shared data, and scripted faults (429 + Retry-After, 5xx, cut
// bodies, slow answers, error payloads) are served on demand. Every request is logged with its time.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface FakeDoc {
  uid: number;
  day: string;
  xml: string;
}

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'json'; body: string }
  | { kind: 'truncate' } // chunked body that stops mid-record
  | { kind: 'short' } // content-length larger than the bytes sent, then the socket closes
  | { kind: 'slow'; ms: number }
  | { kind: 'xml'; body: string };

export interface LoggedRequest {
  at: number;
  utility: string;
  params: Record<string, string>;
}

export class FakeNcbi {
  readonly log: LoggedRequest[] = [];
  /** Faults served, in order, to the next requests of a utility ('esearch', 'efetch'). */
  readonly faults: Record<string, Fault[]> = {};
  private server!: Server;
  private readonly sets = new Map<string, FakeDoc[]>();
  private nextEnv = 1;
  baseUrl = '';

  constructor(
    private readonly docs: Record<string, FakeDoc[]>,
    private readonly esearchTemplate: string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/entrez/eutils`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  requests(utility: string): LoggedRequest[] {
    return this.log.filter((r) => r.utility === utility);
  }

  /** The most requests the server saw in any window of `ms` (sliding, measured at arrival). */
  maxInWindow(ms = 1000): number {
    const times = this.log.map((r) => r.at).sort((a, b) => a - b);
    let max = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j]! - times[i]! >= ms) i++;
      max = Math.max(max, j - i + 1);
    }
    return max;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const utility = url.pathname.split('/').pop()!.replace('.fcgi', '');
    const params = Object.fromEntries(url.searchParams);
    this.log.push({ at: performance.now(), utility, params });
    const fault = this.faults[utility]?.shift();
    const answer = () =>
      utility === 'esearch' ? this.esearch(params) : utility === 'efetch' ? this.efetch(params) : { status: 404, body: 'no' };
    if (!fault) return send(res, answer());
    switch (fault.kind) {
      case 'status':
        return send(res, {
          status: fault.status,
          body: fault.body ?? `<html>${fault.status}</html>`,
          headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
        });
      case 'json':
        return send(res, { status: 200, body: fault.body, headers: { 'content-type': 'application/json' } });
      case 'xml':
        return send(res, { status: 200, body: fault.body });
      case 'slow':
        setTimeout(() => !res.destroyed && send(res, answer()), fault.ms);
        return;
      case 'truncate': {
        const body = answer().body;
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(body.slice(0, Math.floor(body.length / 2)));
        return;
      }
      case 'short': {
        const body = answer().body;
        res.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(Buffer.byteLength(body)) });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setTimeout(() => res.destroy(), 5);
        return;
      }
    }
  }

  private esearch(p: Record<string, string>): Answer {
    const docs = this.docs[p.db ?? ''] ?? [];
    const min = (p.mindate ?? '0000/00/00').replaceAll('/', '-');
    const max = (p.maxdate ?? '9999/99/99').replaceAll('/', '-');
    const range = /(\d+):(\d+)\[uid\]/.exec(p.term ?? '');
    const hits = docs.filter((d) => d.day >= min && d.day <= max && (!range || (d.uid >= Number(range[1]) && d.uid <= Number(range[2]))));
    const webEnv = `MCID_fake${this.nextEnv++}`;
    this.sets.set(webEnv, hits);
    const retmax = Math.min(Number(p.retmax ?? 20), hits.length);
    const ids = hits
      .slice(0, retmax)
      .map((d) => `<Id>${d.uid}</Id>\n`)
      .join('');
    const body = this.esearchTemplate
      .replace(/<Count>\d+<\/Count>/, `<Count>${hits.length}</Count>`)
      .replace(/<RetMax>\d+<\/RetMax>/, `<RetMax>${retmax}</RetMax>`)
      .replace(/<WebEnv>[^<]*<\/WebEnv>/, `<WebEnv>${webEnv}</WebEnv>`)
      .replace(/<IdList>[\s\S]*<\/IdList>/, `<IdList>\n${ids}</IdList>`);
    return { status: 200, body };
  }

  private efetch(p: Record<string, string>): Answer {
    const set = this.sets.get(p.WebEnv ?? '');
    if (!set || p.query_key !== '1') {
      return {
        status: 200,
        body: '<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n',
      };
    }
    const start = Number(p.retstart ?? 0);
    const page = set.slice(start, start + Number(p.retmax ?? 20));
    if (p.db === 'pmc') {
      return {
        status: 200,
        body: `<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE pmc-articleset PUBLIC "-//NLM//DTD ARTICLE SET 2.0//EN" "https://dtd.nlm.nih.gov/ncbi/pmc/articleset/nlm-articleset-2.0.dtd">\n<pmc-articleset>${page.map((d) => d.xml).join('\n')}</pmc-articleset>\n`,
      };
    }
    return {
      status: 200,
      body: `<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n${page.map((d) => d.xml).join('\n')}\n</PubmedArticleSet>\n`,
    };
  }
}

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

function send(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, { 'content-type': 'text/xml; charset=UTF-8', 'content-length': String(Buffer.byteLength(a.body)), ...a.headers });
  res.end(a.body);
}

/** Real `<PubmedArticle>` records cut out of real files, spread over `days` in file order. */
export function pubmedDocs(files: string[], days: string[]): FakeDoc[] {
  const docs: FakeDoc[] = [];
  for (const file of files) {
    const text = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
    for (const m of text.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)) {
      const uid = Number(/<PMID[^>]*>(\d+)<\/PMID>/.exec(m[0])?.[1]);
      if (!uid || docs.some((d) => d.uid === uid)) continue;
      docs.push({ uid, day: days[docs.length % days.length]!, xml: m[0] });
    }
  }
  return docs;
}

/** Real `<article>` records of efetch db=pmc answers, keyed by their PMC uid. */
export function pmcDocs(files: string[], days: string[]): FakeDoc[] {
  const docs: FakeDoc[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/<article[\s>][\s\S]*?<\/article>/g)) {
      const uid = Number(
        /<article-id pub-id-type="pmc">(?:PMC)?(\d+)<\/article-id>/.exec(m[0])?.[1] ??
          /<article-id pub-id-type="pmcid">PMC(\d+)<\/article-id>/.exec(m[0])?.[1],
      );
      if (!uid || docs.some((d) => d.uid === uid)) continue;
      docs.push({ uid, day: days[docs.length % days.length]!, xml: m[0] });
    }
  }
  return docs;
}
