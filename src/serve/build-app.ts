/**
 * `litmine serve`'s application, built apart from listening so that tests call it through
 * `app.inject()` without a socket: the read-only HTTP API over a search store (either kind), the
 * OpenAPI document generated from the route schemas, Prometheus metrics, and the analysts' page.
 *
 *   const app = await buildApp({ store });  const res = await app.inject('/api/search?q=cisplatin');
 *   await app.listen({ host: '127.0.0.1', port: 8080 });
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { availableParallelism } from 'node:os';
import { closeReaders, readersStarted, withReadThreads } from '../store/sqlite-read-threads.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { SearchStore } from '../store/store.js';
import { installApiKey } from './api-key.js';
import type { DictionaryNames } from './dictionary-names.js';
import { clientErrorHandler, errorSchema, frameworkErrors, installErrorHandlers, installErrorShape } from './http-errors.js';
import { requestSerializer } from './log-redaction.js';
import { installLoopbackHosts } from './loopback-hosts.js';
import { installMetrics } from './metrics.js';
import { queryKeywords } from './query-keywords.js';
import { installQueryDeadlines, withinDeadline } from './query-timeout.js';
import type { RouteContext, ServeLimits } from './route-context.js';
import { articleRoutes } from './routes/article-routes.js';
import { entityRoutes } from './routes/entity-routes.js';
import { exportRoutes } from './routes/export-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { relationRoutes } from './routes/relation-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { installStaticPage } from './static-page.js';

export interface BuildAppOptions {
  store: SearchStore;
  /** The normalization dictionary's names: preferred names, and autocomplete by name or synonym. */
  names?: DictionaryNames;
  limits?: Partial<ServeLimits>;
  /** When set, /api/* and /metrics need it in the `x-api-key` header. */
  apiKey?: string;
  corsOrigins?: string[];
  /** Requests per client address per window; max 0 (or absent) turns the limit off. */
  rateLimit?: { max: number; windowMs: number };
  /** Answer only requests whose Host is a loopback name (`litmine serve` on loopback without a key: DNS rebinding). */
  loopbackHostsOnly?: boolean;
  /**
   * Reader threads for an embedded store in a file (its queries run there, where the time limit can
   * abandon them); default one less than the cores, at least 1; 0 reads on the server's own thread.
   */
  readThreads?: number;
  /** fastify's pino logger options (false: no logs). Headers carrying secrets are always redacted. */
  logger?: FastifyServerOptions['logger'];
}

export const DEFAULT_LIMITS: ServeLimits = { queryTimeoutMs: 5000, maxPageSize: 100, maxQueryLength: 500 };

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger === undefined ? false : options.logger;
  const store = readStore(options.store, options.readThreads);
  const app = Fastify({
    logger:
      logger && typeof logger === 'object'
        ? {
            ...logger,
            redact: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'],
            serializers: { req: requestSerializer(options.apiKey) },
          }
        : logger,
    // Unknown query parameters are an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false }, plugins: [queryKeywords] },
    routerOptions: { maxParamLength: 400 },
    bodyLimit: 16 * 1024,
    requestTimeout: limits.queryTimeoutMs * 2,
    frameworkErrors,
    clientErrorHandler,
  });
  app.addSchema(errorSchema);
  installErrorHandlers(app);
  installErrorShape(app);
  if (options.loopbackHostsOnly) installLoopbackHosts(app);
  installQueryDeadlines(app, limits.queryTimeoutMs);

  // Hook order: the rate limit (each route's onRequest) first, then CORS and the key (preParsing),
  // so that preflights and wrong keys count against the client's budget like any request.
  if (options.rateLimit && options.rateLimit.max > 0) {
    await app.register(rateLimit, {
      max: options.rateLimit.max,
      timeWindow: options.rateLimit.windowMs,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        error: 'LITMINE_RATE_LIMITED',
        message: `over the limit of ${context.max} requests per ${options.rateLimit?.windowMs ? options.rateLimit.windowMs / 1000 : 60} s from one address; retry in ${context.after}`,
      }),
    });
  }
  if (options.corsOrigins?.length) {
    await app.register(cors, { origin: options.corsOrigins, methods: ['GET', 'HEAD'], hook: 'preParsing' });
  }
  if (options.apiKey) installApiKey(app, options.apiKey);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'litmine', description: 'Search, entities and relations of the indexed literature (read-only)', version: '1' },
      components: options.apiKey ? { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } } : {},
      ...(options.apiKey ? { security: [{ apiKey: [] }] } : {}),
    },
  });
  installMetrics(app);

  const ctx: RouteContext = {
    store,
    names: options.names,
    limits,
    run: (request, what, work) => withinDeadline(request, what, store, limits.queryTimeoutMs, work),
  };
  healthRoutes(app, ctx);
  searchRoutes(app, ctx);
  articleRoutes(app, ctx);
  entityRoutes(app, ctx);
  relationRoutes(app, ctx);
  exportRoutes(app, ctx);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await installStaticPage(app);
  // The reader threads close with the app; the store itself stays the caller's.
  if (store !== options.store) app.addHook('onClose', async () => closeReaders(store));
  await app.ready();
  await readersStarted(store);
  return app;
}

/** The embedded store in a file reads in threads (sqlite-read-threads.ts); any other store as it is. */
function readStore(store: SearchStore, threads = Math.max(1, availableParallelism() - 1)): SearchStore {
  if (threads <= 0 || !(store instanceof SqliteStore)) return store;
  return withReadThreads(store, threads) ?? store;
}
