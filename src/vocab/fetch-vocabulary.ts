/**
 * `litmine vocab fetch`: downloads the official vocabulary files (config `vocab.downloads`) into a
 * folder, resumably — a partial download stays as `<name>.part` and the next run asks only for the
 * rest (HTTP Range; a server that ignores Range restarts it) — and checks the MD5 where the
 * publisher gives one. A finished file is not fetched again.
 *
 *   await fetchVocabulary([{ url: 'https://ftp.ncbi.nlm.nih.gov/pub/taxonomy/taxdump.tar.gz', md5Url: '….md5' }], 'data/vocab/downloads');
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { once } from 'node:events';
import { Agent, interceptors, request } from 'undici';

/** One pooled agent that follows redirects (NCBI's FTP-over-HTTPS and NLM both redirect). */
const agent = new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));
import { LitmineError } from '../errors.js';

export interface Download {
  url: string;
  md5Url?: string;
}

export interface FetchedFile {
  url: string;
  file: string;
  bytes: number;
  /** 'fetched' (whole), 'resumed' (the rest of a .part), or 'present' (already complete). */
  status: 'fetched' | 'resumed' | 'present';
  md5?: string;
}

export interface FetchOptions {
  onProgress?: (file: string, bytes: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

async function md5Of(path: string): Promise<string> {
  const h = createHash('md5');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function publishedMd5(url: string): Promise<string> {
  const res = await request(url, { dispatcher: agent });
  const body = await res.body.text();
  if (res.statusCode >= 400)
    throw new LitmineError(res.statusCode >= 500 ? 'LITMINE_HTTP_TRANSIENT' : 'LITMINE_HTTP_FAILED', `${url}: HTTP ${res.statusCode}`);
  const hex = body.match(/\b[0-9a-f]{32}\b/i)?.[0];
  if (!hex) throw new LitmineError('LITMINE_HTTP_FAILED', `${url}: no MD5 in the checksum file`);
  return hex.toLowerCase();
}

async function fetchOne(d: Download, dir: string, options: FetchOptions): Promise<FetchedFile> {
  const name = basename(new URL(d.url).pathname);
  const file = join(dir, name);
  if (existsSync(file)) return { url: d.url, file, bytes: statSync(file).size, status: 'present' };
  const part = `${file}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await request(d.url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, dispatcher: agent, signal: options.signal });
  if (res.statusCode === 416) {
    // The part already holds the whole file.
    await res.body.dump();
  } else if (res.statusCode !== 200 && res.statusCode !== 206) {
    await res.body.dump();
    throw new LitmineError(
      res.statusCode >= 500 || res.statusCode === 429 ? 'LITMINE_HTTP_TRANSIENT' : 'LITMINE_HTTP_FAILED',
      `${d.url}: HTTP ${res.statusCode}`,
    );
  }
  const resumed = res.statusCode === 206 || res.statusCode === 416;
  if (res.statusCode !== 416) {
    const length = Number(res.headers['content-length'] ?? Number.NaN);
    const total = Number.isFinite(length) ? length + (resumed ? have : 0) : undefined;
    let bytes = resumed ? have : 0;
    res.body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      options.onProgress?.(name, bytes, total);
    });
    await appendBody(res.body, part, resumed);
  }
  let md5: string | undefined;
  if (d.md5Url) {
    const expected = await publishedMd5(d.md5Url);
    md5 = await md5Of(part);
    if (md5 !== expected) {
      rmSync(part);
      throw new LitmineError(
        'LITMINE_CHECKSUM',
        `${d.url}: MD5 ${md5} does not match the published ${expected}; the download was removed, run again`,
      );
    }
  }
  renameSync(part, file);
  return { url: d.url, file, bytes: statSync(file).size, status: resumed ? 'resumed' : 'fetched', md5 };
}

/**
 * The body into the .part file. Unlike stream.pipeline, a dropped connection still lets every chunk
 * that arrived reach the disk before the error is passed on, so the next run resumes from there.
 */
async function appendBody(body: AsyncIterable<Buffer>, part: string, append: boolean): Promise<void> {
  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  const closed = new Promise<void>((resolve, reject) => {
    out.once('close', resolve);
    out.once('error', reject);
  });
  try {
    for await (const chunk of body) if (!out.write(chunk)) await once(out, 'drain');
  } finally {
    out.end();
    await closed;
  }
}

export async function fetchVocabulary(downloads: Download[], dir: string, options: FetchOptions = {}): Promise<FetchedFile[]> {
  mkdirSync(dir, { recursive: true });
  const out: FetchedFile[] = [];
  for (const d of downloads) {
    try {
      out.push(await fetchOne(d, dir, options));
    } catch (err) {
      if (err instanceof LitmineError) throw err;
      // A dropped connection leaves the .part for the next run to resume.
      throw new LitmineError('LITMINE_HTTP_TRANSIENT', `${d.url}: ${(err as Error).message} (run again to resume)`, { cause: err });
    }
  }
  return out;
}
