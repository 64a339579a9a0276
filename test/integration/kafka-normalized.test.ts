/**
 * Normalized records on a real Kafka broker (integration tier): the case of
 * test/norm/normalized-topics-case.ts on unique topics, deleted after.
 * Skipped unless LITMINE_KAFKA_BROKERS is set (scripts/kafka.sh start).
 */
import test from 'ava';
import { defaultConfig } from '../../src/config/config-schema.js';
import { KafkaLog } from '../../src/log/kafka-log.js';
import { normalizedTopicsCase } from '../norm/normalized-topics-case.js';

const brokers = process.env.LITMINE_KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];
const it = brokers.length > 0 ? test : test.skip;

it('entity and relation topics on Kafka carry ids, preferred names and id keys', (t) =>
  normalizedTopicsCase(
    t,
    () => new KafkaLog({ brokers, clientId: 'litmine-it', logLevel: 'nothing' }),
    { ...defaultConfig.log, kind: 'kafka' },
    true,
  ));
