/**
 * A small E-utilities client: esearch with the history server and efetch through WebEnv, with the
 * `tool`, `email` and `api_key` parameters on every call and NCBI's error payloads turned into
 * errors (`<ERROR>`, esearch `<ErrorList>`, `{"error":"API rate limit exceeded"}` → retried).
 *
 *   const { count, webEnv, queryKey } = await eutils.esearch({ db: 'pubmed', term: 'all[sb]', mindate: '2026/01/03', maxdate: '2026/01/03', datetype: 'edat' });
 */
import { LitmineError } from '../../src/errors.js';
import { type HttpClient, type HttpResponse, redact } from '../http/http-client.js';

export interface EutilsClientOptions {
  baseUrl: string;
  http: HttpClient;
  apiKey?: string;
  tool: string;
  email?: string;
}

export interface EsearchParams {
  db: string;
  term: string;
  datetype?: string;
  mindate?: string;
  maxdate?: string;
}

export interface EsearchResult {
  count: number;
  webEnv: string;
  queryKey: string;
}

export interface EfetchParams {
  db: string;
  webEnv: string;
  queryKey: string;
  retstart: number;
  retmax: number;
}

/** esearch pages at most this far (retstart + retmax); larger windows must be split. */
export const ESEARCH_LIMIT = 10_000;

export class EutilsClient {
  constructor(private readonly options: EutilsClientOptions) {}

  async esearch(params: EsearchParams, signal?: AbortSignal): Promise<EsearchResult> {
    const res = await this.call('esearch.fcgi', { ...params, usehistory: 'y', retmax: '0' }, signal);
    const xml = res.body.toString('utf8');
    const count = /<Count>(\d+)<\/Count>/.exec(xml)?.[1];
    const errorList = /<ErrorList>([\s\S]*?)<\/ErrorList>/.exec(xml)?.[1];
    if (errorList && /<\w+>/.test(errorList)) {
      throw new LitmineError('LITMINE_EUTILS_ERROR', `esearch "${params.term}": ${stripTags(errorList)}`);
    }
    if (count === undefined) throw this.unexpected('esearch', res);
    const webEnv = /<WebEnv>([^<]+)<\/WebEnv>/.exec(xml)?.[1];
    const queryKey = /<QueryKey>([^<]+)<\/QueryKey>/.exec(xml)?.[1];
    if (Number(count) > 0 && (!webEnv || !queryKey)) throw this.unexpected('esearch (no WebEnv)', res);
    return { count: Number(count), webEnv: webEnv ?? '', queryKey: queryKey ?? '' };
  }

  /** The efetch body (XML), checked for error payloads and truncation (a truncated body is retried). */
  async efetch(params: EfetchParams, rootElement: string, signal?: AbortSignal): Promise<Buffer> {
    const query = {
      db: params.db,
      WebEnv: params.webEnv,
      query_key: params.queryKey,
      retstart: String(params.retstart),
      retmax: String(params.retmax),
      retmode: 'xml',
    };
    const res = await this.call('efetch.fcgi', query, signal, (r) => {
      // A body that stops before its root element closes was cut off in transit: fetch it again.
      const tail = r.body.toString('utf8', Math.max(0, r.body.length - 200)).trimEnd();
      const head = r.body.toString('utf8', 0, Math.min(r.body.length, 2000));
      const selfClosed = new RegExp(`<${rootElement}\\s*/>`).test(head);
      if (!selfClosed && !tail.endsWith(`</${rootElement}>`) && !/<ERROR>/.test(head)) {
        throw new LitmineError('LITMINE_HTTP_TRANSIENT', `${redact(r.url)}: efetch body truncated (no </${rootElement}>)`);
      }
    });
    return res.body;
  }

  private async call(
    utility: string,
    params: Record<string, string | undefined>,
    signal?: AbortSignal,
    check?: (res: HttpResponse) => void,
  ): Promise<HttpResponse> {
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/${utility}`);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    url.searchParams.set('tool', this.options.tool);
    if (this.options.email) url.searchParams.set('email', this.options.email);
    if (this.options.apiKey) url.searchParams.set('api_key', this.options.apiKey);
    return this.options.http.get(url.toString(), {
      signal,
      check: (res) => {
        checkErrorPayload(res);
        check?.(res);
      },
    });
  }

  private unexpected(what: string, res: HttpResponse): LitmineError {
    const snippet = res.body.toString('utf8', 0, 300).replace(/\s+/g, ' ');
    return new LitmineError('LITMINE_EUTILS_ERROR', `${what}: unexpected answer from ${redact(res.url)}: ${snippet}`);
  }
}

/** NCBI answers some failures with 200 and an error document; recognise them wherever they come. */
export function checkErrorPayload(res: HttpResponse): void {
  const head = res.body.toString('utf8', 0, Math.min(res.body.length, 4000));
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{')) {
    let message: string | undefined;
    try {
      message = (JSON.parse(res.body.toString('utf8')) as { error?: string }).error;
    } catch {
      message = /"error"\s*:\s*"([^"]*)"/.exec(trimmed)?.[1];
    }
    if (message !== undefined) {
      if (/rate limit/i.test(message)) {
        throw new LitmineError('LITMINE_HTTP_TRANSIENT', `${redact(res.url)}: E-utilities: ${message}`);
      }
      throw new LitmineError('LITMINE_EUTILS_ERROR', `${redact(res.url)}: E-utilities: ${message}`);
    }
  }
  const error = /<ERROR>([\s\S]*?)<\/ERROR>/.exec(head)?.[1];
  if (error !== undefined) {
    throw new LitmineError('LITMINE_EUTILS_ERROR', `${redact(res.url)}: E-utilities: ${stripTags(error).trim()}`);
  }
}

function stripTags(xml: string): string {
  return xml
    .replace(/<(\w+)>([^<]*)<\/\1>/g, '$1: $2; ')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .replace(/;\s*$/, '')
    .trim();
}
