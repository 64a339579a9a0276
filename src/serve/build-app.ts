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
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SearchStore } from '../store/store.js';
import type { DictionaryNames } from './dictionary-names.js';
import { errorBody, errorSchema, installErrorHandlers } from './http-errors.js';
import { installMetrics } from './metrics.js';
import { withTimeout } from './query-timeout.js';
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
  /** fastify's pino logger options (false: no logs). Headers carrying secrets are always redacted. */
  logger?: FastifyServerOptions['logger'];
}

export const DEFAULT_LIMITS: ServeLimits = { queryTimeoutMs: 5000, maxPageSize: 100, maxQueryLength: 500 };

/** Paths open without the API key: probes and the page itself (the page asks for the key). */
const OPEN_PATHS = /^\/(healthz|readyz)?$|^\/(index\.html|app\.js|style\.css)$/;

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger === undefined ? false : options.logger;
  const app = Fastify({
    logger:
      logger && typeof logger === 'object'
        ? { ...logger, redact: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'] }
        : logger,
    // Unknown query parameters are an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false } },
    routerOptions: { maxParamLength: 400 },
    bodyLimit: 16 * 1024,
    requestTimeout: limits.queryTimeoutMs * 2,
  });
  app.addSchema(errorSchema);
  installErrorHandlers(app);

  if (options.corsOrigins?.length) await app.register(cors, { origin: options.corsOrigins, methods: ['GET', 'HEAD'] });
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
  // After the rate limit, so that requests without a key are limited too.
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
    store: options.store,
    names: options.names,
    limits,
    run: (what, work) => withTimeout(work, limits.queryTimeoutMs, what),
  };
  healthRoutes(app, ctx);
  searchRoutes(app, ctx);
  articleRoutes(app, ctx);
  entityRoutes(app, ctx);
  relationRoutes(app, ctx);
  exportRoutes(app, ctx);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await installStaticPage(app);
  await app.ready();
  return app;
}

function installApiKey(app: FastifyInstance, apiKey: string): void {
  // Compare digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
  const expected = digest(apiKey);
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_PATHS.test(request.url.split('?')[0] ?? '')) return;
    const given = request.headers['x-api-key'];
    if (typeof given === 'string' && timingSafeEqual(digest(given), expected)) return;
    return reply
      .code(401)
      .send(
        errorBody(
          'LITMINE_UNAUTHORIZED',
          given ? 'wrong API key (x-api-key header)' : 'this server needs an API key in the x-api-key header',
        ),
      );
  });
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
