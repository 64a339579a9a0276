/**
 * `GET /api/entities?prefix=` (autocomplete) and `GET /api/entities/:key` (an entity's names,
 * counts per year, top relations with evidence, and the entities mentioned with it). Keys are the
 * store's entity keys ("Chemical:cisplatin", or "Chemical:MESH:D002945" once normalised).
 *
 *   GET /api/entities?prefix=cispl&limit=8      GET /api/entities/Chemical%3Acisplatin
 */
import type { FastifyInstance } from 'fastify';
import { LitmineError } from '../../errors.js';
import { type RouteContext, TYPE_PATTERN, entityTypeParam, errorResponses, limitParam, okResponse } from '../route-context.js';

export function entityRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;

  app.get<{ Querystring: { prefix: string; type?: string; limit: number } }>(
    '/api/entities',
    {
      schema: {
        summary: 'Entity autocomplete: entities whose mention text starts with the prefix',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['prefix'],
          properties: {
            prefix: { type: 'string', minLength: 1, maxLength: 100 },
            type: entityTypeParam,
            limit: limitParam(50, 10),
          },
        },
        response: { 200: okResponse('suggestions, most documents first', { suggestions: { type: 'array' } }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return { suggestions: await ctx.run('suggest entities', store.suggestEntities({ prefix: q.prefix, type: q.type, limit: q.limit })) };
    },
  );

  app.get<{ Params: { key: string }; Querystring: { relations: number; evidence: number; coMentioned: number } }>(
    '/api/entities/:key',
    {
      schema: {
        summary: 'An entity: names, counts per year, top relations with evidence, co-mentioned entities',
        params: {
          type: 'object',
          required: ['key'],
          properties: {
            key: {
              type: 'string',
              maxLength: 300,
              pattern: `${TYPE_PATTERN.slice(0, -1)}:.+$`,
              description: 'entity key, Type:text or Type:ID',
            },
          },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            relations: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
            evidence: { type: 'integer', minimum: 1, maximum: 10, default: 2 },
            coMentioned: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
          },
        },
        response: {
          200: okResponse('the entity', {
            entity: { type: 'object', additionalProperties: true },
            relations: { type: 'object', additionalProperties: true },
            coMentioned: { type: 'array' },
          }),
          404: { $ref: 'litmine-error#' },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const key = request.params.key;
      const q = request.query;
      const [entity, relations, coMentioned] = await ctx.run(
        'read entity',
        Promise.all([
          store.entity(key),
          store.relations({ entity: { key }, limit: q.relations, evidencePerRelation: q.evidence }),
          store.coMentioned({ key, limit: q.coMentioned }),
        ]),
      );
      if (!entity) throw new LitmineError('LITMINE_NOT_FOUND', `no entity ${key}`);
      return { entity, relations, coMentioned };
    },
  );
}
