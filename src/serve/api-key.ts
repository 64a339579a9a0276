/**
 * The API key of `litmine serve`: when set, /api/* and /metrics need it in the `x-api-key` header;
 * the page's files and the probes are public (the page asks for the key). The check runs after the
 * rate limit (a preParsing hook, after every onRequest hook), so wrong guesses use up the client's
 * budget like any other request.
 */
import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { errorBody } from './http-errors.js';

/** What the key guards: the API and the metrics. */
const GUARDED = /^\/(api|metrics)(\/|$)/;

export function installApiKey(app: FastifyInstance, apiKey: string): void {
  // Compare digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
  const expected = digest(apiKey);
  app.addHook('preParsing', async (request, reply) => {
    // A CORS preflight never carries the key (browsers send no custom header on it).
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) return;
    if (!GUARDED.test(request.url.split('?')[0] ?? '')) return;
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
