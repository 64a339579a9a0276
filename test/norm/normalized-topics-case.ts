/**
 * One case for both logs: the annotate topology with a normalizer writes entity records keyed
 * "Type:ID" with the id and preferred name, and relation records keyed by the two ids, read back
 * read_committed. The embedded log runs it in test/norm/annotate-topology-normalized.test.ts, a real
 * Kafka broker in test/integration/kafka-normalized.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { LitmineConfig } from '../../src/config/config-schema.js';
import type { Log } from '../../src/log/log.js';
import { Normalizer } from '../../src/norm/normalizer.js';
import { DEFAULT_WEIGHTS } from '../../src/norm/ranker.js';
import { recordMessage } from '../../src/records/encode.js';
import type { EntityRecord, RelationRecord } from '../../src/records/types.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';
import { runAnnotate } from '../../topologies/annotate.js';
import { topicSpecs } from '../../topologies/topics.js';
import { article } from '../topologies/articles.js';
import { DictionaryAnnotator } from '../topologies/dictionary-annotator.js';

/** Runs the case on `log` (opened by the caller, given the case's scratch folder); cleans up topics with `dropTopics`. */
export async function normalizedTopicsCase(
  t: ExecutionContext,
  openLog: (dir: string) => Log,
  logConfig: LitmineConfig['log'],
  dropTopics = false,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-norm-topics-'));
  writeFileSync(
    join(dir, 'mesh_id_label_mappings.tsv'),
    'D002945\tCisplatin\tcis-Platinum\tD01.210.375\t\nD058186\tAcute Kidney Injury\tNephrotoxicity\tC12.050.351\t\n',
  );
  await buildDictionary({ from: [join(dir, 'mesh_id_label_mappings.tsv')], out: join(dir, 'dictionary.sqlite') });
  const normalizer = new Normalizer(Dictionary.open(join(dir, 'dictionary.sqlite')), DEFAULT_WEIGHTS);
  const base = new DictionaryAnnotator();
  const annotator = Object.assign(Object.create(Object.getPrototypeOf(base)), base, { normalizer });
  const run = `norm-${process.pid}-${Date.now()}`;
  const topics = {
    articles: `${run}.articles`,
    annotations: `${run}.annotations`,
    entities: `${run}.entities`,
    relations: `${run}.relations`,
    deadLetters: `${run}.dead-letters`,
  };
  const log = openLog(dir);
  try {
    await log.ensureTopics(topicSpecs({ topics, log: logConfig }, 1));
    const articles = [article('9201', 'Cisplatin caused nephrotoxicity.'), article('9202', 'Again cisplatin and nephrotoxicity.')];
    await log.produce(articles.map((a) => recordMessage(topics.articles, a.id, a)));
    await runAnnotate({ log, annotator, topics, untilIdle: true, workerId: run });
    const entities = (await log.readAll(topics.entities, { readCommitted: true })).map((m) => ({
      key: m.key,
      partitionKey: m.headers['litmine.partition-key'],
      value: JSON.parse(m.value!.toString()) as EntityRecord,
    }));
    const chemical = entities.filter((e) => e.value.type === 'Chemical');
    t.is(chemical.length, 2);
    for (const e of chemical) {
      // Keyed by mention (a replay replaces it), placed by entity (one consumer sees all of it).
      t.is(e.key, e.value.mentionId);
      t.is(e.partitionKey, 'Chemical:MESH:D002945');
      t.like(e.value, { key: 'Chemical:MESH:D002945', id: 'MESH:D002945', name: 'Cisplatin', schemaVersion: 2 });
    }
    t.deepEqual(chemical.map((e) => e.value.text).sort(), ['Cisplatin', 'cisplatin']);
    const relations = (await log.readAll(topics.relations, { readCommitted: true })).map(
      (m) => JSON.parse(m.value!.toString()) as RelationRecord,
    );
    t.is(relations.length, 2);
    for (const r of relations) {
      t.is(r.key, 'Chemical:MESH:D002945|CID|Disease:MESH:D058186');
      t.like(r.object, { id: 'MESH:D058186', name: 'Acute Kidney Injury', text: 'nephrotoxicity' });
    }
  } finally {
    if (dropTopics) await log.deleteTopics(Object.values(topics)).catch(() => undefined);
    await log.close();
    normalizer.dict.close();
  }
}
