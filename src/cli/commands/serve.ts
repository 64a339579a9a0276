/**
 * `litmine serve`: the analysts' HTTP API and web page over the configured store (embedded or
 * Elasticsearch), read-only, until SIGINT/SIGTERM; then it closes the server and the store and
 * says how many requests it answered.
 *
 *   litmine serve --host 0.0.0.0 --port 8080 --api-key-env LITMINE_SERVE_API_KEY --cors-origin https://lab.example.org
 */
import { existsSync } from 'node:fs';
import { isCorsOrigin } from '../../config/cors-origin.js';
import { LitmineError } from '../../errors.js';
import { buildApp } from '../../serve/build-app.js';
import { DictionaryNames } from '../../serve/dictionary-names.js';
import { isLoopbackAddress } from '../../serve/loopback-hosts.js';
import { requestMetrics } from '../../serve/metrics.js';
import { Dictionary } from '../../vocab/dictionary.js';
import type { Command } from '../command.js';
import { PORT } from '../flag-values.js';
import { dictionaryPath } from '../open-normalizer.js';
import { openStore } from '../open-services.js';

/** The levels `serve.logLevel` takes (config-schema.ts). */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

export const serveCommand: Command = {
  name: 'serve',
  summary: "the analysts' HTTP API and web page over the store (read-only)",
  usage:
    'litmine serve [--host H] [--port P] [--api-key-env VAR] [--cors-origin URL ...] [--rate-limit N] [--query-timeout MS] [--log-level L]',
  // Checked and converted by the dispatcher's flag parser before run() (flag-values.ts).
  options: {
    host: { type: 'string', value: { kind: 'text', maxChars: 255 } },
    port: { type: 'string', value: PORT },
    'api-key-env': { type: 'string', value: { kind: 'text', maxChars: 255 } },
    'cors-origin': { type: 'string', multiple: true, value: { kind: 'text', maxChars: 255 } },
    'rate-limit': { type: 'string', value: { kind: 'integer', min: 0, max: 1e9 } },
    'query-timeout': { type: 'string', value: { kind: 'integer', min: 100, max: 600_000, noun: 'a time in milliseconds' } },
    'log-level': { type: 'string', value: { kind: 'choice', choices: LOG_LEVELS } },
  },
  async run({ values }, { config, io, signal }) {
    const serve = config.serve;
    const port = (values.port as number | undefined) ?? serve.port;
    const host = (values.host as string | undefined) ?? serve.host;
    let apiKey = serve.apiKey;
    const keyVar = values['api-key-env'] as string | undefined;
    if (keyVar) {
      apiKey = process.env[keyVar];
      if (!apiKey) throw new LitmineError('LITMINE_USAGE', `--api-key-env ${keyVar}: that environment variable is not set`);
    }
    if (apiKey !== undefined && apiKey.length < 16) throw new LitmineError('LITMINE_USAGE', 'the API key must have at least 16 characters');
    const rateMax = (values['rate-limit'] as number | undefined) ?? serve.rateLimit.max;
    const queryTimeoutMs = (values['query-timeout'] as number | undefined) ?? serve.queryTimeoutMs;
    const level = (values['log-level'] as string | undefined) ?? serve.logLevel;
    const corsOrigins = (values['cors-origin'] as string[] | undefined) ?? serve.corsOrigins;
    for (const origin of corsOrigins) {
      if (!isCorsOrigin(origin))
        throw new LitmineError(
          'LITMINE_USAGE',
          `--cors-origin must be one origin as http(s)://host[:port] (not * and no path), got "${origin}"`,
        );
    }

    const store = await openStore(config, { readOnly: true });
    await store.init();
    const dictionary = existsSync(dictionaryPath(config)) ? Dictionary.open(dictionaryPath(config)) : undefined;
    const app = await buildApp({
      store,
      names: dictionary ? new DictionaryNames(dictionary) : undefined,
      apiKey,
      corsOrigins,
      // Without a key, a server on loopback answers only loopback Host names (DNS rebinding).
      loopbackHostsOnly: !apiKey && isLoopbackAddress(host),
      rateLimit: { max: rateMax, windowMs: serve.rateLimit.windowMs },
      limits: { queryTimeoutMs, maxPageSize: serve.maxPageSize, maxQueryLength: serve.maxQueryLength },
      logger: { level },
    });
    try {
      const address = await app.listen({ host, port });
      io.err(
        `serve: ${config.store.kind} store, listening on ${address} (page /, API /api, OpenAPI /api/openapi.json, metrics /metrics)` +
          `; ${dictionary ? `names from ${dictionary.path}` : 'no normalization dictionary (entity names are mention texts)'}` +
          `${apiKey ? '; API key required' : ''}${rateMax ? `; rate limit ${rateMax}/${serve.rateLimit.windowMs / 1000}s` : ''}`,
      );
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await app.close();
      await store.close();
      dictionary?.close();
    }
    const answered = (await requestMetrics().requests.get()).values.reduce((n, v) => n + v.value, 0);
    io.err(`serve: stopped after answering ${answered} request${answered === 1 ? '' : 's'}`);
    return 0;
  },
};
