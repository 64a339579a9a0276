// The integration tier: real Kafka and Elasticsearch, started by scripts/kafka.sh and
// scripts/elasticsearch.sh (.ci/run does it). Each file skips itself when its service's variable
// (LITMINE_KAFKA_BROKERS, LITMINE_ES_URL) is unset.
import base from './ava.config.js';

export default {
  ...base,
  files: ['test/integration/**/*.test.ts'],
  concurrency: 1,
  timeout: '10m',
};
