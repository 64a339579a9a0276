/**
 * Line-by-line reading of a vocabulary file, gzipped or not (judged by its magic bytes), and the
 * first bytes of a file for format detection.
 *
 *   for await (const line of readLines('dict-species.tsv.gz')) …
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { gunzipSync, createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { ReadContext } from './vocab-concept.js';

export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    readSync(fd, b, 0, 2, 0);
    return b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** A readable of the file's (decompressed) bytes. */
export function openText(path: string, context: ReadContext = {}): Readable {
  const raw = createReadStream(path);
  if (context.onBytes) raw.on('data', (chunk) => context.onBytes?.(chunk.length));
  return isGzip(path) ? raw.pipe(createGunzip()) : raw;
}

export async function* readLines(path: string, context: ReadContext = {}): AsyncIterable<string> {
  const rl = createInterface({ input: openText(path, context), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) yield line;
}

/** The first `bytes` bytes of the file as text, decompressed when gzipped (a partial gzip is fine). */
export function readHead(path: string, bytes = 4096): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    const head = buf.subarray(0, n);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      try {
        return gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a truncated stream */ }).toString('utf8');
      } catch {
        return '';
      }
    }
    return head.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export function splitList(field: string | undefined, sep: string | RegExp): string[] {
  if (!field) return [];
  return field
    .split(sep)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
