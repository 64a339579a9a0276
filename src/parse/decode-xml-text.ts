/**
 * Bytes of an XML file → text chunks for the record scanner: gunzips when the bytes start with
 * the gzip magic (whatever the file is called), picks the character encoding from the BOM or the
 * XML declaration (UTF-8 otherwise) and normalises line ends as XML requires (CRLF, CR → LF).
 * Invalid UTF-8 becomes U+FFFD (one per bad sequence, as the WHATWG decoder does) and is counted in
 * `counts.invalidUtf8`, so the parser can say which records carry the damage.
 *
 *   for await (const text of decodeXmlText(createReadStream('pubmed26n1335.xml.gz'), 'pubmed26n1335.xml.gz')) …
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LitmineError } from '../errors.js';

/** What decoding found, updated as the text streams out. */
export interface DecodeCounts {
  /** Invalid UTF-8 sequences replaced with U+FFFD (a U+FFFD spelled validly in the bytes is not counted). */
  invalidUtf8: number;
}

export async function* decodeXmlText(
  input: AsyncIterable<Buffer | string | Uint8Array>,
  name: string,
  counts: DecodeCounts = { invalidUtf8: 0 },
): AsyncGenerator<string> {
  const it = input[Symbol.asyncIterator]();
  // Gather enough of the head to sniff gzip and the encoding.
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 512) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    if (typeof next.value === 'string') {
      // Already text: no bytes to sniff.
      yield* normaliseLineEnds(textOnly(head, next.value, it));
      return;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = Buffer.concat(head);
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: async function* () {
      if (first.length > 0) yield first;
      if (done) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      }
    },
  };
  const isGzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  const bytes = isGzip ? gunzip(rest, name) : rest;
  yield* normaliseLineEnds(decodeBytes(bytes, counts));
}

async function* textOnly(head: Buffer[], firstText: string, it: AsyncIterator<Buffer | string | Uint8Array>): AsyncGenerator<string> {
  if (head.length > 0) yield new TextDecoder().decode(Buffer.concat(head));
  yield firstText;
  for (;;) {
    const next = await it.next();
    if (next.done) return;
    yield typeof next.value === 'string' ? next.value : new TextDecoder().decode(next.value);
  }
}

async function* gunzip(bytes: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  let bytesIn = 0;
  let bytesOut = 0;
  let sourceError: unknown;
  const counted = (async function* () {
    for await (const b of bytes) {
      bytesIn += b.length;
      yield b;
    }
  })();
  const src = Readable.from(counted, { objectMode: false });
  const gz = createGunzip();
  src.on('error', (err) => {
    sourceError = err;
    gz.destroy(err);
  });
  src.pipe(gz);
  try {
    for await (const chunk of gz) {
      bytesOut += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (err) {
    if (sourceError !== undefined) throw sourceError;
    throw new LitmineError(
      'LITMINE_INPUT_GZIP',
      `${name}: gzip data is truncated or corrupt at compressed byte ${bytesIn} (${bytesOut} bytes decompressed): ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    src.destroy();
    gz.destroy();
  }
}

async function* decodeBytes(bytes: AsyncIterable<Buffer>, counts: DecodeCounts): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let utf8 = false;
  // U+FFFD out minus U+FFFD spelled in the input (EF BF BD, possibly split across chunks) = bad sequences.
  let carry = Buffer.alloc(0);
  for await (const chunk of bytes) {
    if (!decoder) {
      decoder = new TextDecoder(encodingOf(chunk));
      utf8 = decoder.encoding === 'utf-8';
    }
    const text = decoder.decode(chunk, { stream: true });
    if (utf8) {
      const out = countReplacements(text);
      if (out > 0) {
        const joined = Buffer.concat([carry, chunk]);
        counts.invalidUtf8 += out - countSpelled(joined, carry.length);
      }
      carry = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 2)));
    }
    if (text !== '') yield text;
  }
  const tail = decoder?.decode() ?? '';
  if (utf8) counts.invalidUtf8 += countReplacements(tail);
  if (tail !== '') yield tail;
}

function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

/** EF BF BD sequences that end inside the new chunk (those ending in the carry were counted before). */
function countSpelled(bytes: Buffer, carried: number): number {
  let n = 0;
  const fffd = Buffer.from([0xef, 0xbf, 0xbd]);
  for (let i = bytes.indexOf(fffd); i >= 0; i = bytes.indexOf(fffd, i + 1)) if (i + 3 > carried) n++;
  return n;
}

/** The encoding from a BOM or the XML declaration; UTF-8 when neither says otherwise. */
function encodingOf(head: Buffer): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const declared = /^(?:\uFEFF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head.subarray(0, 200).toString('latin1'))?.[1];
  if (!declared) return 'utf-8';
  try {
    return new TextDecoder(declared).encoding;
  } catch {
    return 'utf-8'; // an unknown label: UTF-8 is what PubMed and PMC use
  }
}

async function* normaliseLineEnds(texts: AsyncIterable<string>): AsyncGenerator<string> {
  let pendingCR = false;
  for await (let text of texts) {
    if (pendingCR) {
      text = `\r${text}`;
      pendingCR = false;
    }
    // A CR at the end of a chunk may be the first half of a CRLF.
    if (text.endsWith('\r')) {
      text = text.slice(0, -1);
      pendingCR = true;
    }
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    if (text !== '') yield text;
  }
  if (pendingCR) yield '\n';
}
