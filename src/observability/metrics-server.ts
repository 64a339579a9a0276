/**
 * A tiny node:http server on 127.0.0.1 serving prom-client's default registry at /metrics, for
 * `litmine worker … --metrics-port N` (`litmine serve` exposes the same registry itself).
 *
 *   const server = await serveMetrics(9464); …; await server.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import { LitmineError } from '../errors.js';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(port: number, host = '127.0.0.1'): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    register.metrics().then(
      (text) => res.writeHead(200, { 'content-type': register.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new LitmineError('LITMINE_USAGE', `--metrics-port ${port}: ${err.message}`, { cause: err })));
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
