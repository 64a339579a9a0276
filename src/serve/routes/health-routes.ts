/**
 * `GET /healthz` (the process answers) and `GET /readyz` (the store answers a count in time), for
 * load balancers and orchestrators; both are open without the API key.
 */
import type { FastifyInstance } from 'fastify';
import { asLitmineError } from '../../errors.js';
import { errorBody } from '../http-errors.js';
import type { RouteContext } from '../route-context.js';

export function healthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/healthz', { schema: { summary: 'Liveness' }, config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness: the store is reachable' }, config: { rateLimit: false } }, async (request, reply) => {
    try {
      const counts = await ctx.run(request, 'store counts', (store) => store.counts());
      return { status: 'ready', store: ctx.store.kind, counts };
    } catch (err) {
      const e = asLitmineError(err, 'LITMINE_STORE_UNAVAILABLE');
      request.log.warn({ code: e.code, err: e.message }, 'store not ready');
      return reply.code(503).send(errorBody('LITMINE_STORE_UNAVAILABLE', `the ${ctx.store.kind} store is not reachable`));
    }
  });
}
