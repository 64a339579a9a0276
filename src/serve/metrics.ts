/**
 * Prometheus metrics of `litmine serve` in prom-client's default registry (so pipeline counters
 * registered there by stages running in the same process appear on /metrics too): request counts
 * and latency histograms per route pattern, method and status, plus Node's process metrics.
 *
 *   installMetrics(app);  // then GET /metrics
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';

const LABELS = ['route', 'method', 'status'] as const;

let defaultsCollected = false;

/** One metric per name per process: several apps (tests) share them. */
function metric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

export function requestMetrics() {
  const requests = metric(
    'litmine_http_requests_total',
    () =>
      new Counter({
        name: 'litmine_http_requests_total',
        help: 'HTTP requests answered, by route pattern, method and status',
        labelNames: LABELS,
      }),
  );
  const duration = metric(
    'litmine_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'litmine_http_request_duration_seconds',
        help: 'HTTP request latency in seconds, by route pattern, method and status',
        labelNames: LABELS,
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );
  return { requests, duration };
}

export function installMetrics(app: FastifyInstance): void {
  if (!defaultsCollected) {
    collectDefaultMetrics();
    defaultsCollected = true;
  }
  const { requests, duration } = requestMetrics();
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern (/api/articles/:id), not the URL: label values stay few.
    const labels = { route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(register.contentType);
    return register.metrics();
  });
}
