/**
 * `litmine serve` as operators run it: a child process over a data directory's embedded store,
 * answering on a free port until SIGTERM, then saying how many requests it answered; bad flags are
 * usage errors.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { repoRoot } from '../helpers/shared-data.js';
import { corpusOps } from '../store/store-fixtures.js';
import { litmine } from '../pipeline/cli-io.js';

const BIN = join(repoRoot, 'bin', 'litmine.js');

test('litmine serve answers on its port, logs requests without the key, and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-serve-cli-'));
  const store = new SqliteStore({ path: join(dir, 'store.sqlite') });
  await store.init();
  await store.apply(corpusOps());
  await store.close();
  const apiKey = 'serve-cli-test-key-0123456789';
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dir, '--port', '0', '--api-key-env', 'TEST_SERVE_KEY'], {
    env: { ...process.env, TEST_SERVE_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  const address = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+?) /.exec(err);
      if (m) resolve(m[1]!);
    });
    child.on('close', () => reject(new Error(`exited early: ${err}`)));
  });
  t.regex(err, /embedded store/);
  t.regex(err, /API key required/);
  const unauthorised = await fetch(`${address}/api/search?q=cisplatin`);
  t.is(unauthorised.status, 401);
  const ok = await fetch(`${address}/api/search?q=cisplatin`, { headers: { 'x-api-key': apiKey } });
  t.is(((await ok.json()) as { total: number }).total, 2);
  t.is((await fetch(`${address}/readyz`)).status, 200);
  child.kill('SIGTERM');
  t.is(await exit, 0);
  t.regex(err, /serve: stopped after answering 3 requests/);
  t.regex(out, /"statusCode":200/, 'pino request logs on stdout');
  t.false(out.includes(apiKey) || err.includes(apiKey), 'the key is never printed');
});

test('litmine serve refuses a missing key variable and a bad port', async (t) => {
  const missing = await litmine('serve', '--api-key-env', 'LITMINE_TEST_NO_SUCH_VARIABLE');
  t.is(missing.code, 2);
  t.regex(missing.err, /LITMINE_USAGE: --api-key-env LITMINE_TEST_NO_SUCH_VARIABLE: that environment variable is not set/);
  const port = await litmine('serve', '--port', '99999');
  t.is(port.code, 2);
  t.regex(port.err, /LITMINE_USAGE: --port must be a port number from 0 to 65535, got "99999"/);
  for (const [flag, value, allowed] of [
    ['--log-level', 'bogus', /must be one of fatal, error, warn, info, debug, silent/],
    ['--rate-limit=-5', '', /must be a whole number from 0 to 1000000000/],
    ['--query-timeout', 'Infinity', /must be a time in milliseconds from 100 to 600000/],
  ] as const) {
    const r = await litmine('serve', ...(value ? [flag, value] : [flag]));
    t.is(r.code, 2, `${flag} ${value}`);
    t.regex(r.err, allowed, `${flag} ${value}: ${r.err}`);
  }
});

test("litmine serve refuses --cors-origin '*' and an origin with a path, as the configuration file does", async (t) => {
  for (const origin of ['*', 'https://lab.example.org/path', 'https://*.example.org', 'lab.example.org']) {
    const r = await litmine('serve', '--port', '0', '--cors-origin', origin);
    t.is(r.code, 2, origin);
    t.regex(r.err, /LITMINE_USAGE: --cors-origin must be one origin as http\(s\):\/\/host\[:port\] \(not \* and no path\)/, origin);
  }
});
