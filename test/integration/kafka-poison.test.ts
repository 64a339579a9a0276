// A poison record per topology on the real Kafka broker (the embedded-log run is
// test/topologies/poison.test.ts): unique topics per case, deleted afterwards. Skipped unless
// LITMINE_KAFKA_BROKERS is set (scripts/kafka.sh start).
import test from 'ava';
import { KafkaLog } from '../../src/log/kafka-log.js';
import { uniqueTopics } from './pipeline-helpers.js';
import { registerPoisonCases } from '../topologies/poison-cases.js';

const brokers = process.env.LITMINE_KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];
const it = brokers.length > 0 ? test.serial : test.skip;

registerPoisonCases(it as typeof test, 'kafka', async () => {
  const log = new KafkaLog({ brokers, clientId: 'litmine-it-poison', logLevel: 'nothing' });
  const topics = uniqueTopics();
  return {
    log,
    topics,
    cleanup: async () => {
      await log.deleteTopics(Object.values(topics)).catch(() => undefined);
      await log.close();
    },
  };
});
