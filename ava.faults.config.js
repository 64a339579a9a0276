// The fault tier (`npm run test:faults`): faults injected into real services — the suite's own Kafka
// broker and Elasticsearch node on ports 29092 / 29200, started by scripts/kafka.sh and
// scripts/elasticsearch.sh (test/faults/fault-services.ts) — and into the embedded log and store.
// Serial, loopback only, each test bounded in time.
import base from './ava.config.js';

export default {
  ...base,
  files: ['test/faults/**/*.test.ts'],
  concurrency: 1,
  serial: true,
  // A test that outlasts 10 minutes without finishing fails the run.
  timeout: '10m',
};
