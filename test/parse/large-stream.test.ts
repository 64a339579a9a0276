/**
 * Bounded memory on an update-file-sized input: the test writes a gzipped PubmedArticleSet of
 * 50,000 made-up records (~60 MB of XML) with a DeleteCitation at the end, streams it through
 * parseXmlFile and checks every record comes out while resident memory stays flat.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import test from 'ava';
import { parseXmlFile } from '../../src/parse/parse-xml-file.js';
import { pubmedRecord } from './helpers.js';

const RECORDS = 50_000;
const DELETES = 1_000;

test('a 50,000-record gzipped update file streams with bounded memory', async (t) => {
  t.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'litmine-large-'));
  const path = join(dir, 'update.xml.gz');
  let xmlBytes = 0;
  async function* lines(): AsyncGenerator<string> {
    const head =
      '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n';
    xmlBytes += head.length;
    yield head;
    for (let i = 0; i < RECORDS; i++) {
      const rec = `${pubmedRecord(String(10_000_000 + i), { abstract: `<AbstractText Label="RESULTS">Record ${i}: P &lt; 0.05 for <i>x</i><sub>${i % 10}</sub>.</AbstractText>` })}\n`;
      xmlBytes += Buffer.byteLength(rec);
      yield rec;
    }
    const deletes = `<DeleteCitation>\n${Array.from({ length: DELETES }, (_, i) => `<PMID Version="1">${20_000_000 + i}</PMID>`).join('\n')}\n</DeleteCitation>\n</PubmedArticleSet>\n`;
    xmlBytes += deletes.length;
    yield deletes;
  }
  try {
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(path));
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let articles = 0;
    let deletes = 0;
    let errors = 0;
    let lastPmid = '';
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for await (const r of parseXmlFile(path)) {
      if (r.kind === 'article') {
        articles++;
        lastPmid = r.article.pmid ?? '';
      } else if (r.kind === 'delete') deletes++;
      else errors++;
      if ((articles + deletes) % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const growthMb = (peak - before) / 1e6;
    t.log(
      `${(xmlBytes / 1e6).toFixed(0)} MB XML (${(statSync(path).size / 1e6).toFixed(1)} MB gzipped): ${articles} articles + ${deletes} deletes in ${seconds.toFixed(1)} s ` +
        `(${(xmlBytes / 1e6 / seconds).toFixed(1)} MB/s; ${cpuSeconds.toFixed(1)} s CPU, ${(xmlBytes / 1e6 / cpuSeconds).toFixed(1)} MB/s of CPU), ` +
        `peak RSS growth ${growthMb.toFixed(0)} MB`,
    );
    t.is(articles, RECORDS);
    t.is(deletes, DELETES);
    t.is(errors, 0);
    t.is(lastPmid, String(10_000_000 + RECORDS - 1));
    t.true(growthMb < 200, `peak RSS grew by ${growthMb.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
