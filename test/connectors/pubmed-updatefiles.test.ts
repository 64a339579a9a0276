// The update-files source against a local stand-in for NCBI's updatefiles directory: an
// Apache-style index (self-written, in NCBI's layout), real pubmedYYnNNNN.xml.gz files from the
// shared data with their real md5s, a corrupt download that the md5 catches, and resume mid-file.
import test from 'ava';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArticleBatch } from '../../connectors/connector.js';
import { HttpClient } from '../../connectors/http/http-client.js';
import { createConnector } from '../../connectors/index.js';
import { MemoryCursorStore } from '../../connectors/memory-cursor-store.js';
import { parseDirectoryIndex } from '../../connectors/pubmed-updatefiles/pubmed-updatefiles-connector.js';
import { defaultConfig, type LitmineConfig } from '../../src/config/config-schema.js';
import type { LitmineError } from '../../src/errors.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';

const FILES: [string, string][] = [
  ['pubmed25n1275.xml.gz', '2026-01-02'],
  ['pubmed26n1334.xml.gz', '2026-01-03'],
  ['pubmed26n1335.xml.gz', '2026-01-04'],
];

function indexHtml(): string {
  const rows = FILES.flatMap(([name, day]) => [
    `<a href="${name}">${name}</a>               ${day} 14:02   22M`,
    `<a href="${name}.md5">${name}.md5</a>           ${day} 14:02   60`,
  ]);
  return `<html>\n<head><title>Index of /pubmed/updatefiles</title></head>\n<body>\n<h1>Index of /pubmed/updatefiles</h1>\n<pre>Name                          Last modified      Size\n<hr><a href="/pubmed/">Parent Directory</a>                                 -\n<a href="README.txt">README.txt</a>                    2025-12-10 09:00  2.1K\n${rows.join('\n')}\n<hr></pre>\n</body>\n</html>\n`;
}

interface Served {
  server: Server;
  baseUrl: string;
  log: string[];
  /** Downloads of a file still to be served corrupt. */
  corruptNext: Map<string, number>;
}

async function serve(): Promise<Served> {
  const bodies = new Map(FILES.map(([name]) => [name, readFileSync(sharedPath('pubmed-xml-more', 'pmparser', name))]));
  const log: string[] = [];
  const corruptNext = new Map<string, number>();
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('/').pop()!;
    log.push(name);
    if (name === '') return res.end(indexHtml());
    const body = bodies.get(name.replace(/\.md5$/, ''));
    if (!body) return res.writeHead(404).end('not found');
    if (name.endsWith('.md5')) return res.end(`MD5(${name.replace(/\.md5$/, '')})= ${createHash('md5').update(body).digest('hex')}\n`);
    if ((corruptNext.get(name) ?? 0) > 0) {
      corruptNext.set(name, corruptNext.get(name)! - 1);
      const bad = Buffer.from(body);
      bad[bad.length >> 1] ^= 0xff;
      return res.end(bad);
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, log, corruptNext, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pubmed/updatefiles` };
}

const key = (r: ParsedRecord) => (r.kind === 'article' ? r.article.id : r.kind === 'delete' ? `del:${r.delete.id}` : `err:${r.error.code}`);
const config = (s: Served): LitmineConfig => ({
  ...defaultConfig,
  dataDir: mkdtempSync(join(tmpdir(), 'litmine-uf-')),
  ncbi: { ...defaultConfig.ncbi, updateFilesBaseUrl: s.baseUrl },
});
const http = () => new HttpClient({ backoffMs: 10, maxBackoffMs: 20, retries: 2 });

async function collect(it: AsyncIterable<ArticleBatch>, limit = Infinity) {
  const out: ArticleBatch[] = [];
  for await (const b of it) {
    out.push(b);
    if (out.length >= limit) break;
  }
  return out;
}

test('the directory index yields update files only, sorted, with their listed day', (t) => {
  t.deepEqual(
    parseDirectoryIndex(indexHtml()),
    FILES.map(([name, day]) => ({ name, day })),
  );
});

sharedTest('a window lists, downloads, checks and parses its files: citations and DeleteCitation tombstones', async (t) => {
  const s = await serve();
  try {
    const connector = createConnector('updatefiles', config(s), new MemoryCursorStore(), { http: http(), batchSize: 50 });
    const records = (await collect(connector.batches({ since: '2026-01-03', until: '2026-01-04' }))).flatMap((b) => b.records);
    const origins = new Set(
      records.flatMap((r) => (r.kind === 'article' && r.article.origin ? [r.article.origin.file.split('/').pop()] : [])),
    );
    t.deepEqual([...origins], ['pubmed26n1334.xml.gz', 'pubmed26n1335.xml.gz']);
    t.true(records.filter((r) => r.kind === 'delete').length > 0);
    t.is(records.filter((r) => r.kind === 'error').length, 0);
    t.deepEqual(
      s.log.filter((n) => n.endsWith('.md5')),
      ['pubmed26n1334.xml.gz.md5', 'pubmed26n1335.xml.gz.md5'],
    );
  } finally {
    s.server.close();
  }
});

sharedTest('a download that does not match its md5 is fetched again; one that never matches is LITMINE_CHECKSUM', async (t) => {
  const s = await serve();
  try {
    s.corruptNext.set('pubmed26n1335.xml.gz', 1);
    const c = createConnector('updatefiles', config(s), new MemoryCursorStore(), { http: http() });
    const records = (await collect(c.batches({ since: '2026-01-04' }))).flatMap((b) => b.records);
    t.true(records.length > 0);
    t.is(s.log.filter((n) => n === 'pubmed26n1335.xml.gz').length, 2);
    s.corruptNext.set('pubmed26n1335.xml.gz', 5);
    const bad = createConnector('updatefiles', config(s), new MemoryCursorStore(), { http: http() });
    const err = (await t.throwsAsync(collect(bad.batches({ since: '2026-01-04' })))) as LitmineError;
    t.is(err.code, 'LITMINE_CHECKSUM');
  } finally {
    s.server.close();
  }
});

sharedTest('a crash mid-file resumes at the record after the saved cursor; finished files are not downloaded again', async (t) => {
  const s = await serve();
  try {
    const cfg = config(s);
    const all = (
      await collect(
        createConnector('updatefiles', cfg, new MemoryCursorStore(), { http: http(), batchSize: 40 }).batches({
          since: '2026-01-02',
          until: '2026-01-04',
        }),
      )
    )
      .flatMap((b) => b.records)
      .map(key);
    let midFile = 0;
    let store = new MemoryCursorStore();
    for (const crashAfter of [1, 2, 3, 5]) {
      store = new MemoryCursorStore();
      const delivered: string[] = [];
      for (const b of await collect(
        createConnector('updatefiles', cfg, store, { http: http(), batchSize: 10 }).batches({ since: '2026-01-02', until: '2026-01-04' }),
        crashAfter,
      )) {
        delivered.push(...b.records.map(key));
        await store.set(b.cursorKey, b.cursor);
      }
      const cursor = JSON.parse((await store.get('updatefiles'))!);
      if (!cursor.done) midFile++;
      s.log.length = 0;
      for await (const b of createConnector('updatefiles', cfg, store, { http: http(), batchSize: 10 }).batches({
        since: '2026-01-02',
        until: '2026-01-04',
      })) {
        delivered.push(...b.records.map(key));
        await store.set(b.cursorKey, b.cursor);
      }
      t.deepEqual(delivered, all, `crash after ${crashAfter}`);
      // Files before the cursor's are not downloaded again.
      t.true(FILES.every(([name]) => name >= cursor.file || !s.log.includes(name)));
    }
    t.true(midFile > 0);
    // Without a window, a saved cursor continues after its file: nothing is left.
    t.deepEqual(
      (await collect(createConnector('updatefiles', cfg, store, { http: http() }).batches())).flatMap((b) => b.records),
      [],
    );
  } finally {
    s.server.close();
  }
});
