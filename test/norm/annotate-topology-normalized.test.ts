// Normalized entity and relation records through the annotate topology on the embedded log — also
// when the topology wraps the annotator (metrics) on its way to the annotate stage.
import { join } from 'node:path';
import test from 'ava';
import { defaultConfig } from '../../src/config/config-schema.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { normalizedTopicsCase } from './normalized-topics-case.js';

test('entity and relation topics on the embedded log carry ids, preferred names and id keys', (t) =>
  normalizedTopicsCase(t, (dir) => openEmbeddedLog(join(dir, 'log.sqlite')), defaultConfig.log));
