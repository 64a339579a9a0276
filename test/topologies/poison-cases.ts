/**
 * One poison-record case per topology (ingest, annotate, index, reprocess), written once and run on
 * both logs: test/topologies/poison.test.ts on the embedded log, test/integration/kafka-poison.test.ts
 * on the real broker. Each feeds good records around bad ones and asserts the bad ones become dead
 * letters naming the record while every good one flows.
 */
import type { TestFn } from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type LitmineConfig } from '../../src/config/config-schema.js';
import { LitmineError } from '../../src/errors.js';
import type { Log } from '../../src/log/log.js';
import { recordMessage } from '../../src/records/encode.js';
import type { DeadLetter } from '../../src/records/types.js';
import type { ApplyResult, StoreOp } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runAnnotate } from '../../topologies/annotate.js';
import { runIndex } from '../../topologies/index.js';
import { runIngest } from '../../topologies/ingest.js';
import { runReprocess } from '../../topologies/reprocess.js';
import { topicSpecs } from '../../topologies/topics.js';
import { article } from './articles.js';
import { DictionaryAnnotator } from './dictionary-annotator.js';

export interface PoisonLog {
  log: Log;
  topics: LitmineConfig['topics'];
  cleanup(): Promise<void>;
}

const good1 = article('2001', 'Cisplatin caused nephrotoxicity in rats.');
const good2 = article('2002', 'Aspirin reduced asthma symptoms.');
const poison = article('2003', 'This sentence is POISON for the model.');

/** A real embedded store that refuses, for good, one article id (the way Elasticsearch refuses a bad document). */
class RefusingStore extends SqliteStore {
  constructor(private readonly refuse: string) {
    super({ path: join(mkdtempSync(join(tmpdir(), 'litmine-poison-store-')), 'store.sqlite') });
  }
  override async apply(ops: StoreOp[]): Promise<ApplyResult> {
    const refused = ops.filter((op) => op.op === 'upsertArticle' && op.article.id === this.refuse);
    const result = await super.apply(ops.filter((op) => !refused.includes(op)));
    return { ...result, rejected: [...result.rejected, ...refused.map((op) => ({ op, reason: 'mapper_parsing_exception: bad date' }))] };
  }
}

async function deadLetters(log: Log, topics: LitmineConfig['topics']): Promise<DeadLetter[]> {
  return (await log.readAll(topics.deadLetters)).map((m) => JSON.parse(m.value!.toString()) as DeadLetter);
}

async function articlesTopic(p: PoisonLog, extra: { key: string; value: Buffer }[] = []) {
  const config = { topics: p.topics, log: defaultConfig.log };
  await p.log.ensureTopics(topicSpecs(config, 1));
  await p.log.produce([
    recordMessage(p.topics.articles, good1.id, good1),
    ...extra.map((e) => ({ topic: p.topics.articles, ...e })),
    recordMessage(p.topics.articles, poison.id, poison),
    recordMessage(p.topics.articles, good2.id, good2),
  ]);
}

export function registerPoisonCases(test: TestFn, label: string, open: () => Promise<PoisonLog>): void {
  test(`${label}: ingest dead-letters an unparsable and an invalid record and produces the rest`, async (t) => {
    const p = await open();
    try {
      await p.log.ensureTopics(topicSpecs({ topics: p.topics, log: defaultConfig.log }, 1));
      const invalid = { ...good2, id: 'pmid:2009', pmid: '2009', version: 0 };
      const stats = await runIngest({
        log: p.log,
        topics: p.topics,
        cursors: { set: async () => undefined },
        connector: {
          source: 'files',
          async *batches() {
            yield {
              source: 'files',
              cursor: '{}',
              records: [
                { kind: 'article', article: good1, index: 0 },
                {
                  kind: 'error',
                  error: new LitmineError('LITMINE_PARSE_XML', 'b.xml: record 1: unclosed tag at 3:1'),
                  index: 1,
                  file: 'b.xml',
                },
                { kind: 'article', article: { ...invalid, origin: { file: 'c.xml', index: 2 } }, index: 2 },
                { kind: 'article', article: good2, index: 3 },
              ],
            };
          },
        },
      });
      t.deepEqual([stats.articles, stats.errors], [2, 2]);
      const keys = (await p.log.readAll(p.topics.articles)).map((m) => m.key);
      t.deepEqual(keys.sort(), [good1.id, good2.id]);
      const dead = await deadLetters(p.log, p.topics);
      t.deepEqual(dead.map((d) => [d.stage, d.code, d.source.file, d.source.index]).sort(), [
        ['ingest', 'LITMINE_PARSE_XML', 'b.xml', 1],
        ['ingest', 'LITMINE_RECORD_INVALID', 'c.xml', 2],
      ]);
      t.regex(dead.find((d) => d.key === 'pmid:2009')!.message, /^c\.xml: record 2 \(pmid:2009\): /);
    } finally {
      await p.cleanup();
    }
  });

  test(`${label}: annotate dead-letters an undecodable and an unannotatable article; the others are annotated`, async (t) => {
    const p = await open();
    try {
      await articlesTopic(p, [{ key: 'pmid:2004', value: Buffer.from('{not json') }]);
      await runAnnotate({ log: p.log, annotator: new DictionaryAnnotator(), topics: p.topics, untilIdle: true });
      const annotated = (await p.log.readAll(p.topics.annotations)).map((m) => m.key).sort();
      t.deepEqual(annotated, [good1.id, good2.id]);
      const dead = await deadLetters(p.log, p.topics);
      t.deepEqual(dead.map((d) => [d.key, d.code]).sort(), [
        ['pmid:2003', 'LITMINE_ANNOTATE'],
        ['pmid:2004', 'LITMINE_RECORD_INVALID'],
      ]);
      for (const d of dead) t.regex(d.message, new RegExp(`record ${d.key} \\(${p.topics.articles.replace(/\./g, '\\.')}/0@\\d+\\)`));
    } finally {
      await p.cleanup();
    }
  });

  test(`${label}: index dead-letters an undecodable record and a store refusal (LITMINE_STORE_REJECTED); the rest is stored`, async (t) => {
    const p = await open();
    const store = new RefusingStore(poison.id);
    try {
      await articlesTopic(p, [{ key: 'pmid:2004', value: Buffer.from('{not json') }]);
      await store.init();
      await runIndex({ log: p.log, store, topics: p.topics, untilIdle: true });
      t.truthy(await store.getArticle(good1.id));
      t.truthy(await store.getArticle(good2.id));
      t.is(await store.getArticle(poison.id), null);
      const dead = await deadLetters(p.log, p.topics);
      t.deepEqual(dead.map((d) => [d.stage, d.key, d.code]).sort(), [
        ['index', 'pmid:2003', 'LITMINE_STORE_REJECTED'],
        ['index', 'pmid:2004', 'LITMINE_RECORD_INVALID'],
      ]);
      t.regex(dead.find((d) => d.key === poison.id)!.message, /mapper_parsing_exception: bad date/);
    } finally {
      await store.close();
      await p.cleanup();
    }
  });

  test(`${label}: reprocess over one unannotatable article completes and dead-letters exactly that one`, async (t) => {
    const p = await open();
    const store = new RefusingStore('none');
    try {
      await articlesTopic(p);
      await store.init();
      await runReprocess({
        log: p.log,
        annotator: new DictionaryAnnotator(),
        target: store,
        topics: p.topics,
        group: `reprocess-${p.topics.articles}`,
      });
      t.deepEqual(await store.counts(), { articles: 3, sentences: 4, mentions: 4, relations: 2 });
      const dead = await deadLetters(p.log, p.topics);
      t.deepEqual(
        dead.map((d) => [d.stage, d.key, d.code]),
        [['reprocess', poison.id, 'LITMINE_ANNOTATE']],
      );
      t.is(JSON.parse(Buffer.from(dead[0]!.valueBase64!, 'base64').toString()).id, poison.id);
      const lag = await p.log.lag(`reprocess-${p.topics.articles}`, [p.topics.articles]);
      t.is(
        lag.reduce((n, l) => n + l.lag, 0),
        0,
        'the replay went past the poison article',
      );
    } finally {
      await store.close();
      await p.cleanup();
    }
  });
}
