/**
 * How `litmine serve` answers errors: one JSON shape `{ error: { code, message } }` with the
 * project's error codes, an HTTP status per code, and never a stack trace (unexpected errors are
 * logged with their stack and answered with a generic message).
 *
 *   reply.code(404).send(errorBody('LITMINE_NOT_FOUND', 'no article pmid:1'))
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorCode, LitmineError } from '../errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** The OpenAPI/JSON Schema of ErrorBody, shared by every route's 4xx/5xx responses. */
export const errorSchema = {
  $id: 'litmine-error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

const STATUS: Partial<Record<ErrorCode, number>> = {
  LITMINE_HTTP_BAD_REQUEST: 400,
  LITMINE_UNAUTHORIZED: 401,
  LITMINE_NOT_FOUND: 404,
  LITMINE_RATE_LIMITED: 429,
  LITMINE_STORE_REJECTED: 502,
  LITMINE_STORE_UNAVAILABLE: 503,
  LITMINE_QUERY_TIMEOUT: 504,
};

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Installs the error and not-found handlers on an app. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('LITMINE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.setErrorHandler((err: FastifyError | LitmineError, request, reply) => {
    if (err instanceof LitmineError) {
      const status = STATUS[err.code] ?? 500;
      if (status >= 500) request.log.warn({ code: err.code, err: err.message }, 'request failed');
      // Store messages name the failed operation and the server's reason, never credentials.
      return reply.code(status).send(errorBody(err.code, status === 500 ? 'internal error' : err.message));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply.code(400).send(errorBody('LITMINE_HTTP_BAD_REQUEST', fe.message));
    }
    if (fe.statusCode === 429) return reply.code(429).send(errorBody('LITMINE_RATE_LIMITED', fe.message));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(errorBody('LITMINE_HTTP_BAD_REQUEST', fe.message));
    }
    request.log.error({ err }, 'unexpected error');
    return reply.code(500).send(errorBody('LITMINE_INTERNAL', 'internal error'));
  });
}

/** The code of an error status that no handler of ours answered (a plugin's own reply). */
function codeOf(status: number): ErrorCode {
  if (status === 401) return 'LITMINE_UNAUTHORIZED';
  if (status === 404) return 'LITMINE_NOT_FOUND';
  if (status === 429) return 'LITMINE_RATE_LIMITED';
  return status >= 500 ? 'LITMINE_INTERNAL' : 'LITMINE_HTTP_BAD_REQUEST';
}

/**
 * Errors fastify's router answers before any route runs (fastify's `frameworkErrors` option): a URL
 * whose percent-encoding is broken, a path segment over the router's length limit.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'the URL is not valid: a % must start a percent-encoded UTF-8 byte'
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'a path segment of the URL is too long'
        : 'the request cannot be routed';
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  reply.code(status).send(errorBody('LITMINE_HTTP_BAD_REQUEST', message));
}

/**
 * Requests Node's HTTP parser refuses before fastify sees them (fastify's `clientErrorHandler`
 * option): malformed HTTP, headers over the size limit, a request too slow to arrive. Answered in
 * the same JSON shape, then the connection is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request line and headers are over the size limit']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time']
        : [400, 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify(errorBody('LITMINE_HTTP_BAD_REQUEST', message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/**
 * Puts an error answered by a plugin in some other shape (CORS's text/plain "Invalid Preflight
 * Request") into `{ error: { code, message } }`, so that every error has the one shape.
 */
export function installErrorShape(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode < 400) return payload;
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    const plain = typeof payload === 'string' && payload.length > 0 && payload.length <= 200 && reply.statusCode < 500;
    const text = plain ? payload : STATUS_CODES[reply.statusCode];
    reply.type('application/json; charset=utf-8');
    return JSON.stringify(errorBody(codeOf(reply.statusCode), text ?? `HTTP ${reply.statusCode}`));
  });
}
