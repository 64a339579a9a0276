/**
 * Inputs the fault tests build for themselves in a temporary folder, from the real shared XML: a
 * PubMed file with one record blown up past the size limit. Nothing of it is committed.
 *
 *   const { path, ids, victim, index, cleanup } = await oversizedInput();
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXmlFile } from '../../src/parse/parse-xml-file.js';
import { MAX_RECORD_CHARS } from '../../src/parse/scan-records.js';
import { sharedPath } from '../helpers/shared-data.js';

/** A real PubMed file with its 64th record blown up to 50 MB (a temporary copy; nothing is committed). */
export async function oversizedInput(): Promise<{ path: string; ids: string[]; victim: string; index: number; cleanup: () => void }> {
  const source = sharedPath('pubmed-xml', 'fatcat', 'pubmedsample_2019.xml');
  const xml = readFileSync(source, 'utf8');
  const ids: string[] = [];
  const records = [];
  for await (const r of parseXmlFile(source)) records.push(r);
  for (const r of records) if (r.kind === 'article') ids.push(r.article.id);
  const starts = [...xml.matchAll(/<PubmedArticle>/g)].map((m) => m.index!);
  const victim = `pmid:${/<PMID[^>]*>(\d+)/.exec(xml.slice(starts[63]))![1]}`;
  const index = records.findIndex((r) => r.kind === 'article' && r.article.id === victim);
  const at = xml.indexOf('</ArticleTitle>', starts[63]);
  const line = `${'protein kinase signalling in the cell '.repeat(105)}\n`;
  const filler = line.repeat(Math.ceil((50 * 1024 * 1024) / line.length));
  if (filler.length <= MAX_RECORD_CHARS) throw new Error('filler below the limit');
  const dir = mkdtempSync(join(tmpdir(), 'litmine-oversized-'));
  const path = join(dir, 'oversized.xml');
  writeFileSync(path, xml.slice(0, at) + filler + xml.slice(at));
  // Deleted ids (the file's DeleteCitation) are tombstones, not expected articles.
  const deleted = new Set(records.flatMap((r) => (r.kind === 'delete' ? [r.delete.id] : [])));
  return {
    path,
    ids: ids.filter((id) => !deleted.has(id)),
    victim,
    index,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
