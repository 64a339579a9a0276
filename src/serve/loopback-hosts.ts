/**
 * Host names a server on loopback without an API key answers: only loopback ones. A page on any
 * site can make a browser resolve its own name to 127.0.0.1 (DNS rebinding) and then read answers
 * as same-origin; such requests still carry that site's name in `Host`, and are refused here.
 *
 *   isLoopbackHost('localhost:8080')  // true     isLoopbackHost('evil.example:8080')  // false
 */
import type { FastifyInstance } from 'fastify';
import { errorBody } from './http-errors.js';

const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

/** Whether `litmine serve --host` names a loopback address (then, without a key, only loopback Host names are served). */
export function isLoopbackAddress(address: string): boolean {
  return /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(address);
}

export function installLoopbackHosts(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    if (isLoopbackHost(host)) return;
    return reply
      .code(421)
      .send(errorBody('LITMINE_HTTP_BAD_REQUEST', 'this server answers only loopback host names (localhost, 127.0.0.1, [::1])'));
  });
}
