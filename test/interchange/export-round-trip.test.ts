/**
 * The export round trip over the README's data (../shared/data/pubmed-xml-more and pmc-jats-more,
 * the first command's --from folders) through the real ingest → annotate → log pipeline, annotated
 * by the word-list annotator: `litmine export` in BioC XML, BioC JSON and PubTator, read back, and
 * every annotation's offsets cut exactly its text out of the exported document. The data directory
 * is built once for the three formats.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { MemoryCursorStore } from '../../connectors/index.js';
import { FilesConnector } from '../../connectors/files/files-connector.js';
import { defaultConfig } from '../../src/config/config-schema.js';
import { readBiocJson } from '../../src/interchange/bioc-json.js';
import { readBiocXml } from '../../src/interchange/bioc-xml.js';
import { readPubtatorDocuments } from '../../src/interchange/pubtator.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { parseXmlStream } from '../../src/parse/parse-xml-file.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runPipeline } from '../../topologies/pipeline.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { litmine } from '../pipeline/cli-io.js';
import { WordListAnnotator } from '../serve/word-list-annotator.js';

const README_DATA = ['pubmed-xml-more', 'pmc-jats-more'];

let built: Promise<{ dataDir: string; articles: number }> | undefined;

/** The README's data ingested and annotated into a temporary data directory, once per run. */
function readmeDataDir() {
  built ??= (async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'litmine-round-trip-'));
    const log = openEmbeddedLog(join(dataDir, 'log.sqlite'));
    const store = new SqliteStore({ path: join(dataDir, 'store.sqlite') });
    try {
      const result = await runPipeline({
        log,
        store,
        annotator: new WordListAnnotator(),
        connectors: [
          new FilesConnector({ paths: README_DATA.map((d) => sharedPath(d)), cursorStore: new MemoryCursorStore(), parse: parseXmlStream }),
        ],
        cursors: new MemoryCursorStore(),
        config: { topics: defaultConfig.topics, log: defaultConfig.log },
      });
      return { dataDir, articles: result.counts.articles };
    } finally {
      await log.close();
      await store.close();
    }
  })();
  return built;
}

test.after.always(async () => {
  if (built) rmSync((await built).dataDir, { recursive: true, force: true });
});

/** The whole export in one format, with the document and annotation counts its summary reports. */
async function exported(t: ExecutionContext, format: string): Promise<{ text: string; documents: number; annotations: number }> {
  const { dataDir, articles } = await readmeDataDir();
  const r = await litmine('export', '--format', format, '--limit', '100000', '--data-dir', dataDir);
  t.is(r.code, 0, r.err);
  const summary = /export: (\d+) document\(s\), (\d+) annotation\(s\)/.exec(r.err);
  t.truthy(summary, r.err);
  t.is(Number(summary![1]), articles, 'every stored article is exported');
  return { text: r.out, documents: Number(summary![1]), annotations: Number(summary![2]) };
}

for (const format of ['biocxml', 'biocjson'] as const) {
  sharedTest(`${format} export of the README's data: every annotation's location cuts its text out of its passage`, async (t) => {
    const { text, documents, annotations: reported } = await exported(t, format);
    const collection = format === 'biocxml' ? readBiocXml(text) : readBiocJson(text);
    t.is(collection.documents.length, documents);
    const wrong: string[] = [];
    let annotations = 0;
    for (const d of collection.documents)
      for (const p of d.passages)
        for (const a of p.annotations) {
          annotations++;
          const l = a.locations[0]!;
          const cut = p.text.slice(l.offset - p.offset, l.offset - p.offset + l.length);
          if (cut !== a.text) wrong.push(`${d.id} ${l.offset}+${l.length}: "${cut}" is not "${a.text}"`);
        }
    t.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${annotations} annotations`);
    t.true(annotations > 10_000);
    t.is(annotations, reported);
  });
}

sharedTest("pubtator export of the README's data: every annotation's offsets cut its text out of title + ' ' + abstract", async (t) => {
  const { text: exportedText, documents, annotations: reported } = await exported(t, 'pubtator');
  const docs = readPubtatorDocuments(exportedText);
  t.is(docs.length, documents);
  const wrong: string[] = [];
  let annotations = 0;
  for (const d of docs) {
    const text = `${d.title} ${d.abstract}`;
    for (const a of d.annotations) {
      annotations++;
      const cut = text.slice(a.start, a.end);
      if (cut !== a.text) wrong.push(`${d.pmid} ${a.start}–${a.end}: "${cut}" is not "${a.text}"`);
    }
  }
  t.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${annotations} annotations`);
  t.true(annotations > 10_000);
  t.is(annotations, reported);
});
