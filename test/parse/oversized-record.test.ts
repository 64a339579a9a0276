/**
 * A record over the size limit among good ones: the scanner reads past it without holding it,
 * reports it as LITMINE_RECORD_TOO_LARGE with its position, PMID and a bounded excerpt, and every
 * record before and after it parses as before. The input is a real PubMed file with one of its
 * records blown up in a temporary copy.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXmlFile } from '../../src/parse/parse-xml-file.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import { MAX_RECORD_CHARS, OVERSIZED_EXCERPT_CHARS, scanRecords } from '../../src/parse/scan-records.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';

const idOf = (r: ParsedRecord) =>
  r.kind === 'article' ? r.article.id : r.kind === 'delete' ? `del:${r.delete.id}` : `err:${r.error.code}`;

async function all(path: string): Promise<ParsedRecord[]> {
  const out: ParsedRecord[] = [];
  for await (const r of parseXmlFile(path)) out.push(r);
  return out;
}

sharedTest('a record over 8 Mi characters is skipped and reported; its neighbours parse unchanged', async (t) => {
  const source = sharedPath('pubmed-xml', 'fatcat', 'pubmedsample_2019.xml');
  const xml = readFileSync(source, 'utf8');
  const before = await all(source);
  // Blow up the third article: a title of more than the limit (spread over lines, as a table dump would be).
  const starts = [...xml.matchAll(/<PubmedArticle>/g)].map((m) => m.index!);
  const third = starts[2]!;
  const titleEnd = xml.indexOf('</ArticleTitle>', third);
  const filler = 'protein kinase signalling in the cell '.repeat(Math.ceil((MAX_RECORD_CHARS + 1000) / 38)).replace(/(.{4000})/g, '$1\n');
  const dir = mkdtempSync(join(tmpdir(), 'litmine-oversized-'));
  const path = join(dir, 'blown-up.xml');
  writeFileSync(path, xml.slice(0, titleEnd) + filler + xml.slice(titleEnd));
  try {
    const after = await all(path);
    const victim = before[2]!;
    t.is(victim.kind, 'article');
    t.is(after.length, before.length);
    t.deepEqual(
      after.map(idOf),
      before.map((r, i) => (i === 2 ? 'err:LITMINE_RECORD_TOO_LARGE' : idOf(r))),
    );
    const report = after[2]!;
    if (report.kind !== 'error') return t.fail('no error record');
    const pmid = victim.kind === 'article' ? victim.article.pmid : '';
    t.regex(
      report.error.message,
      new RegExp(
        `blown-up\\.xml: record 2 \\(<PubmedArticle> PMID ${pmid}\\) at \\d+:\\d+: \\d+ characters, over the limit of ${MAX_RECORD_CHARS}`,
      ),
    );
    t.is(report.raw?.length, OVERSIZED_EXCERPT_CHARS);
    t.true(report.raw?.startsWith('<PubmedArticle>'));
    // The neighbours are the same articles, field for field (origins aside: another file name).
    const strip = (r: ParsedRecord) =>
      r.kind === 'article' ? { ...r.article, origin: undefined } : r.kind === 'delete' ? r.delete.id : r.kind;
    t.deepEqual(after.filter((_, i) => i !== 2).map(strip), before.filter((_, i) => i !== 2).map(strip));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

sharedTest('a 40 MB record read in pieces is reported with its full length and a bounded excerpt, and the file goes on', async (t) => {
  // 40 MB of one record read in 64 KB pieces with a 1 Mi limit.
  const head = '<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">1</PMID><Article><ArticleTitle>';
  const piece = 'x'.repeat(64 * 1024);
  async function* chunks() {
    yield head;
    for (let i = 0; i < 640; i++) yield piece;
    yield '</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>';
  }
  const events = [];
  for await (const ev of scanRecords(chunks(), { maxRecordChars: 1024 * 1024 })) events.push(ev);
  const oversized = events.find((e) => e.type === 'oversized');
  t.truthy(oversized);
  if (oversized?.type !== 'oversized') return;
  t.is(
    oversized.chars,
    head.length - '<PubmedArticleSet>'.length + 640 * piece.length + '</ArticleTitle></Article></MedlineCitation></PubmedArticle>'.length,
  );
  t.is(oversized.excerpt.length, OVERSIZED_EXCERPT_CHARS);
  t.false(events.some((e) => e.type === 'fatal'));
});
