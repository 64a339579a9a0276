/**
 * Builds the stores the server's suites query: the real PubMed XML in ../shared/data/pubmed-xml
 * through the real ingest → annotate → index pipeline (annotated by the word-list annotator), plus
 * one self-written hostile record whose title and abstract carry markup and script injections.
 *
 *   const store = new SqliteStore({ path: ':memory:' });  await loadServeCorpus(store, [sharedPath('pubmed-xml')]);
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCursorStore } from '../../connectors/index.js';
import { FilesConnector } from '../../connectors/files/files-connector.js';
import { defaultConfig } from '../../src/config/config-schema.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { parseXmlStream } from '../../src/parse/parse-xml-file.js';
import type { SearchStore } from '../../src/store/store.js';
import { runPipeline } from '../../topologies/pipeline.js';
import { annotation, article, doc } from '../store/store-fixtures.js';
import { WordListAnnotator } from './word-list-annotator.js';

/** A record written to attack the page: every string here must show as text and never run. */
export const HOSTILE_TITLE = '<script>window.__pwned = "title"</script><img src=x onerror="window.__pwned=\'img\'"> cisplatin hostile';
export const HOSTILE_ABSTRACT =
  'Cisplatin "><svg onload="window.__pwned=\'svg\'"> caused nephrotoxicity </p><script>window.__pwned="abstract"</script> \' onmouseover=\'window.__pwned=1\' <a href="javascript:window.__pwned=2">x</a>.';
export const HOSTILE = doc({
  id: 'pmid:99000001',
  title: HOSTILE_TITLE,
  journal: { title: '<b onclick="window.__pwned=3">Journal</b>' },
  published: '2024-02-02',
  abstract: [
    {
      text: HOSTILE_ABSTRACT,
      mentions: [
        ['Cisplatin', 'Chemical'],
        ['nephrotoxicity', 'Disease'],
        ['<svg onload="window.__pwned=\'svg\'">', '"><img src=x onerror=alert(1)>'],
      ],
      relations: [['Cisplatin', 'CID', 'nephrotoxicity', 0.9]],
    },
  ],
});

export interface ServeCorpus {
  articles: number;
  mentions: number;
  relations: number;
}

/** Ingests, annotates and indexes real XML (tests: sharedPath('pubmed-xml')), then the hostile record. */
export async function loadServeCorpus(store: SearchStore, xmlPaths: string[]): Promise<ServeCorpus> {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-serve-'));
  const log = openEmbeddedLog(join(dir, 'log.sqlite'));
  try {
    const result = await runPipeline({
      log,
      store,
      annotator: new WordListAnnotator(),
      connectors: [new FilesConnector({ paths: xmlPaths, cursorStore: new MemoryCursorStore(), parse: parseXmlStream })],
      cursors: new MemoryCursorStore(),
      config: { topics: defaultConfig.topics, log: defaultConfig.log },
    });
    const hostile = await store.apply([
      { op: 'upsertArticle', article: article(HOSTILE) },
      { op: 'upsertAnnotation', annotation: annotation(HOSTILE) },
    ]);
    if (hostile.rejected.length) throw new Error(`hostile record rejected: ${hostile.rejected[0]!.reason}`);
    await store.refresh();
    return { articles: result.counts.articles, mentions: result.counts.mentions, relations: result.counts.relations };
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
