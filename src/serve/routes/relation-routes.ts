/**
 * `GET /api/relations?e1=&type=&e2=`: relations grouped by (subject, type, object) with counts and
 * evidence sentences. `e1` is the subject side, `e2` the object side, `entity` either side; each is
 * an entity key, `@Type` (any entity of the type) or a mention text (relation-sides.ts).
 *
 *   GET /api/relations?e1=@Chemical&type=CID&e2=Disease:nephrotoxicity
 */
import type { FastifyInstance } from 'fastify';
import { parseEntitySide } from '../relation-sides.js';
import { RELATION_TYPE_PATTERN, type RouteContext, errorResponses, limitParam, okResponse, parameters } from '../route-context.js';

interface RelationParams {
  e1?: string;
  e2?: string;
  entity?: string;
  type?: string;
  limit: number;
  evidence: number;
}

export function relationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const side = (description: string) => ({ type: 'string', minLength: 1, maxLength: 300, description }) as const;
  app.get<{ Querystring: RelationParams }>(
    '/api/relations',
    {
      schema: {
        summary: 'Relations with evidence; each side an entity key (Chemical:cisplatin), a type (@Chemical) or a text',
        querystring: parameters({
          e1: side('subject side'),
          e2: side('object side'),
          entity: side('either side'),
          type: { type: 'string', pattern: RELATION_TYPE_PATTERN, description: 'relation type, e.g. CID' },
          limit: limitParam(ctx.limits.maxPageSize, 20),
          evidence: { type: 'integer', minimum: 1, maximum: 20, default: 3, description: 'evidence sentences per relation' },
        }),
        response: {
          200: okResponse('relation groups, most supported first', { total: { type: 'integer' }, relations: { type: 'array' } }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = request.query;
      return ctx.run(request, 'relations', (store) =>
        store.relations({
          ...(p.e1 ? { subject: parseEntitySide(p.e1, 'e1') } : {}),
          ...(p.e2 ? { object: parseEntitySide(p.e2, 'e2') } : {}),
          ...(p.entity ? { entity: parseEntitySide(p.entity, 'entity') } : {}),
          ...(p.type ? { type: p.type } : {}),
          limit: p.limit,
          evidencePerRelation: p.evidence,
        }),
      );
    },
  );
}
