import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, redactConfig } from '../../src/config/load-config.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'litmine-config-'));

test('defaults give the embedded mode under ./data', (t) => {
  const config = loadConfig({ env: {}, cwd: tmp() });
  t.is(config.dataDir, './data');
  t.is(config.log.kind, 'embedded');
  t.is(config.store.kind, 'embedded');
  t.true(Object.isFrozen(config.log.kafka));
});

test('file, then environment, then flags override the defaults', (t) => {
  const dir = tmp();
  writeFileSync(
    join(dir, 'litmine.config.json'),
    JSON.stringify({ dataDir: '/from-file', log: { kind: 'kafka' }, models: { batchSize: 8 } }),
  );
  const config = loadConfig({
    cwd: dir,
    env: { LITMINE_KAFKA_BROKERS: 'a:9092, b:9093', LITMINE_DATA_DIR: '/from-env' },
    overrides: { dataDir: '/from-flag' },
  });
  t.is(config.dataDir, '/from-flag');
  t.is(config.log.kind, 'kafka');
  t.deepEqual(config.log.kafka.brokers, ['a:9092', 'b:9093']);
  t.is(config.models.batchSize, 8);
  t.is(config.models.ner, 'models/ner', 'untouched defaults survive a partial file');
  const threads = loadConfig({ cwd: dir, env: { LITMINE_INTRA_OP_THREADS: '1', LITMINE_BATCH_SIZE: '4' } });
  t.is(threads.models.intraOpThreads, 1);
  t.is(threads.models.batchSize, 4, 'the environment overrides the file');
});

test('every problem is reported with its path, at once', (t) => {
  const dir = tmp();
  writeFileSync(
    join(dir, 'bad.json'),
    JSON.stringify({ log: { kind: 'pulsar' }, store: { elasticsearch: { node: 'es:9200' } }, extra: 1 }),
  );
  const err = t.throws(() => loadConfig({ cwd: dir, file: 'bad.json', env: { LITMINE_KAFKA_SSL: 'maybe' } }));
  t.is((err as { code?: string }).code, 'LITMINE_CONFIG');
  t.regex(err!.message, /\/: must NOT have additional properties \(extra\)/);
  t.regex(err!.message, /\/log\/kind: must be equal to one of the allowed values/);
  t.regex(err!.message, /\/log\/kafka\/ssl: must be boolean/);
  t.regex(err!.message, /\/store\/elasticsearch\/node: must match pattern/);
});

test('a missing or unparsable file is a configuration error naming it', (t) => {
  const dir = tmp();
  t.throws(() => loadConfig({ cwd: dir, file: 'nope.json', env: {} }), { message: /nope\.json does not exist/ });
  writeFileSync(join(dir, 'broken.json'), '{ "dataDir": ');
  t.throws(() => loadConfig({ cwd: dir, file: 'broken.json', env: {} }), { message: /broken\.json: .*JSON/ });
});

test('secrets are redacted for printing', (t) => {
  const config = loadConfig({
    cwd: tmp(),
    env: {
      LITMINE_KAFKA_SASL_MECHANISM: 'plain',
      LITMINE_KAFKA_SASL_USERNAME: 'u',
      LITMINE_KAFKA_SASL_PASSWORD: 's3cret',
      NCBI_API_KEY: 'k3y',
      LITMINE_ES_API_KEY: 'abc',
    },
  });
  t.is(config.log.kafka.sasl?.password, 's3cret');
  const printed = JSON.stringify(redactConfig(config));
  t.false(printed.includes('s3cret'));
  t.false(printed.includes('k3y'));
  t.false(printed.includes('abc'));
  t.true(printed.includes('"username":"u"'));
});
