// A poison record per topology on the embedded log: the bad record is dead-lettered, the rest flows
// (the same cases run on Kafka in test/integration/kafka-poison.test.ts).
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/config-schema.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { registerPoisonCases } from './poison-cases.js';

registerPoisonCases(test, 'embedded log', async () => {
  const log = openEmbeddedLog(join(mkdtempSync(join(tmpdir(), 'litmine-poison-')), 'log.sqlite'));
  return { log, topics: defaultConfig.topics, cleanup: () => log.close() };
});
