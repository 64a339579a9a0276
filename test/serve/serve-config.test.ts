/** The `serve` section of the configuration: defaults, environment variables, and refused values. */
import test from 'ava';
import { SECRET_PATHS, loadConfig } from '../../src/config/load-config.js';

test('serve defaults listen on loopback with a rate limit and no key', (t) => {
  const c = loadConfig({ env: {}, cwd: '/' }).serve;
  t.is(c.host, '127.0.0.1');
  t.is(c.port, 8080);
  t.is(c.apiKey, undefined);
  t.deepEqual(c.corsOrigins, []);
  t.deepEqual(c.rateLimit, { max: 600, windowMs: 60_000 });
  t.true(SECRET_PATHS.includes('serve.apiKey'));
});

test('LITMINE_SERVE_* variables set the serve section', (t) => {
  const c = loadConfig({
    cwd: '/',
    env: {
      LITMINE_SERVE_HOST: '0.0.0.0',
      LITMINE_SERVE_PORT: '9090',
      LITMINE_SERVE_API_KEY: 'a-key-of-sixteen-or-more',
      LITMINE_SERVE_CORS_ORIGINS: 'https://lab.example.org, http://localhost:3000',
      LITMINE_SERVE_RATE_LIMIT: '0',
      LITMINE_SERVE_LOG_LEVEL: 'warn',
    },
  }).serve;
  t.is(c.host, '0.0.0.0');
  t.is(c.port, 9090);
  t.is(c.apiKey, 'a-key-of-sixteen-or-more');
  t.deepEqual(c.corsOrigins, ['https://lab.example.org', 'http://localhost:3000']);
  t.is(c.rateLimit.max, 0);
  t.is(c.logLevel, 'warn');
});

test('a short API key, a bad port and a CORS origin with a path are configuration errors naming their paths', (t) => {
  const err = t.throws(() =>
    loadConfig({
      cwd: '/',
      env: { LITMINE_SERVE_API_KEY: 'short', LITMINE_SERVE_PORT: '70000', LITMINE_SERVE_CORS_ORIGINS: 'https://a.org/path' },
    }),
  );
  t.is((err as { code?: string }).code, 'LITMINE_CONFIG');
  t.regex(err!.message, /serve\/apiKey/);
  t.regex(err!.message, /serve\/port/);
  t.regex(err!.message, /serve\/corsOrigins\/0/);
  t.false(err!.message.includes('short'), 'the secret is not echoed');
});

test("a CORS origin of '*' is refused in the configuration, as on the command line", (t) => {
  const err = t.throws(() => loadConfig({ cwd: '/', env: { LITMINE_SERVE_CORS_ORIGINS: '*' } }));
  t.is((err as { code?: string }).code, 'LITMINE_CONFIG');
  t.regex(err!.message, /serve\/corsOrigins\/0/);
});
