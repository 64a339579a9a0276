/**
 * Normalized records through the annotate topology on the embedded log (the same case runs on real
 * Kafka in test/integration/kafka-normalized.test.ts): with a normalizer, entity records are keyed
 * "Type:ID" with the id and preferred name, and relation records are keyed by the two ids — also
 * when the topology wraps the annotator (metrics) on its way to the annotate stage.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { defaultConfig } from '../../src/config/config-schema.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
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

test('entity and relation topics on the embedded log carry ids, preferred names and id keys', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-kafka-norm-'));
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
  const log = openEmbeddedLog(join(dir, 'log.sqlite'));
  try {
    await log.ensureTopics(topicSpecs({ topics, log: defaultConfig.log }, 1));
    const articles = [article('9201', 'Cisplatin caused nephrotoxicity.'), article('9202', 'Again cisplatin and nephrotoxicity.')];
    await log.produce(articles.map((a) => recordMessage(topics.articles, a.id, a)));
    await runAnnotate({ log, annotator, topics, untilIdle: true, workerId: run });
    const entities = (await log.readAll(topics.entities, { readCommitted: true })).map((m) => ({
      key: m.key,
      value: JSON.parse(m.value!.toString()) as EntityRecord,
    }));
    const chemical = entities.filter((e) => e.value.type === 'Chemical');
    t.is(chemical.length, 2);
    for (const e of chemical) {
      t.is(e.key, 'Chemical:MESH:D002945');
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
    await log.close();
    normalizer.dict.close();
  }
});
