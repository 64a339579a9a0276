/**
 * `GET /api/entities?prefix=` (autocomplete) and `GET /api/entities/:key` (an entity's names,
 * counts per year, top relations with evidence, and the entities mentioned with it). Keys are the
 * store's entity keys ("Chemical:cisplatin", or "Chemical:MESH:D002945" once normalised).
 *
 *   GET /api/entities?prefix=cispl&limit=8      GET /api/entities/Chemical%3Acisplatin
 */
import type { FastifyInstance } from 'fastify';
import { LitmineError } from '../../errors.js';
import type { EntitySuggestion } from '../../store/entity-reads.js';
import type { SearchStore } from '../../store/store.js';
import { type RouteContext, TYPE_PATTERN, entityTypeParam, errorResponses, limitParam, okResponse, parameters } from '../route-context.js';

export function entityRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { prefix: string; type?: string; limit: number } }>(
    '/api/entities',
    {
      schema: {
        summary:
          'Entity autocomplete: entities whose mention text starts with the prefix, and (with a dictionary) the stored entities with a name or synonym starting with it',
        querystring: parameters(
          { prefix: { type: 'string', minLength: 1, maxLength: 100 }, type: entityTypeParam, limit: limitParam(50, 10) },
          ['prefix'],
        ),
        response: { 200: okResponse('suggestions, most documents first', { suggestions: { type: 'array' } }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return { suggestions: await ctx.run(request, 'suggest entities', (store) => suggest(ctx, store, q.prefix, q.type, q.limit)) };
    },
  );

  app.get<{ Params: { key: string }; Querystring: { relations: number; evidence: number; coMentioned: number } }>(
    '/api/entities/:key',
    {
      schema: {
        summary: 'An entity: names, counts per year, top relations with evidence, co-mentioned entities',
        params: parameters(
          {
            key: {
              type: 'string',
              maxLength: 300,
              pattern: `${TYPE_PATTERN.slice(0, -1)}:.+$`,
              description: 'entity key, Type:text or Type:ID',
            },
          },
          ['key'],
        ),
        querystring: parameters({
          relations: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
          evidence: { type: 'integer', minimum: 1, maximum: 10, default: 2 },
          coMentioned: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
        }),
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
      const [entity, relations, coMentioned] = await ctx.run(request, 'read entity', (store) =>
        Promise.all([
          store.entity(key),
          store.relations({ entity: { key }, limit: q.relations, evidencePerRelation: q.evidence }),
          store.coMentioned({ key, limit: q.coMentioned }),
        ]),
      );
      if (!entity) throw new LitmineError('LITMINE_NOT_FOUND', `no entity ${key}`);
      const name = ctx.names?.preferredName(key);
      return { entity: name ? { ...entity, name } : entity, relations, coMentioned };
    },
  );
}

type Suggestion = EntitySuggestion & { name?: string; matched?: string };

/** The store's mention-text matches, joined by the dictionary's name and synonym matches that the store holds; most articles first. */
async function suggest(
  ctx: RouteContext,
  store: SearchStore,
  prefix: string,
  type: string | undefined,
  limit: number,
): Promise<Suggestion[]> {
  const fromStore = store.suggestEntities({ prefix, type, limit });
  const names = ctx.names;
  if (!names) return fromStore;
  const byName = names.matches(prefix, type, limit);
  const [stored, entities] = await Promise.all([fromStore, Promise.all(byName.map((m) => store.entity(m.key)))]);
  const out = new Map<string, Suggestion>();
  for (const s of stored) {
    const name = names.preferredName(s.key);
    out.set(s.key, name ? { ...s, name } : s);
  }
  byName.forEach((m, i) => {
    const e = entities[i];
    if (!e || out.has(m.key)) return;
    out.set(m.key, {
      key: m.key,
      type: m.type,
      text: e.text,
      documents: e.documents,
      mentions: e.mentions,
      name: m.name,
      matched: m.matched,
    });
  });
  return [...out.values()].sort((a, b) => b.documents - a.documents || b.mentions - a.mentions).slice(0, limit);
}
