/**
 * How `litmine serve` answers errors: one JSON shape `{ error: { code, message } }` with the
 * project's error codes, an HTTP status per code, and never a stack trace (unexpected errors are
 * logged with their stack and answered with a generic message).
 *
 *   reply.code(404).send(errorBody('LITMINE_NOT_FOUND', 'no article pmid:1'))
 */
import type { FastifyError, FastifyInstance } from 'fastify';
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
