/**
 * `GET /api/search`, `GET /api/facets` and `GET /api/ask`: full-text search of articles or
 * sentences with filters and paging (optionally with each hit's entities and mentions, for the
 * page), entity facets, and evidence sentences for a question.
 *
 *   GET /api/search?q=cisplatin+nephrotoxicity&type=Chemical&from=2015&limit=10&annotate=true
 */
import type { FastifyInstance } from 'fastify';
import type { ArticleMention } from '../../store/entity-reads.js';
import type { SearchHit, SearchStore } from '../../store/store.js';
import { parseEntitySide } from '../relation-sides.js';
import {
  type RouteContext,
  dateParam,
  parameters,
  entityTypeParam,
  errorResponses,
  limitParam,
  offsetParam,
  okResponse,
} from '../route-context.js';

interface SearchParams {
  q: string;
  target: 'articles' | 'sentences';
  from?: string;
  to?: string;
  journal?: string;
  type?: string;
  entity?: string;
  section?: string;
  annotate: boolean;
  limit: number;
  offset: number;
}

/** A hit with what the page colours: the article's top entities, and the mentions of its title or sentence. */
export interface AnnotatedHit extends SearchHit {
  entities: { key: string; type: string; text: string; mentions: number }[];
  mentions: ArticleMention[];
}

export function searchRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { limits } = ctx;
  const text = { type: 'string', maxLength: limits.maxQueryLength } as const;

  app.get<{ Querystring: SearchParams }>(
    '/api/search',
    {
      schema: {
        summary: 'Full-text search of articles or sentences (every word must match; operators are plain text)',
        querystring: parameters({
          q: { ...text, default: '', description: 'search words; empty lists by filters, newest first' },
          target: { type: 'string', enum: ['articles', 'sentences'], default: 'articles' },
          from: dateParam,
          to: dateParam,
          journal: { type: 'string', maxLength: 200 },
          type: { ...entityTypeParam, description: 'only articles mentioning an entity of this type' },
          entity: { type: 'string', maxLength: 300, description: 'only articles mentioning this entity (key or text)' },
          section: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            description: 'only matches in passages of this section or under it ("Methods", "Results > Localization", "CONCLUSIONS")',
          },
          annotate: { type: 'boolean', default: false, description: "add each hit's entities and mentions" },
          limit: limitParam(limits.maxPageSize, 10),
          offset: offsetParam,
        }),
        response: {
          200: okResponse('matching articles or sentences, best first', { total: { type: 'integer' }, hits: { type: 'array' } }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = request.query;
      const result = await ctx.run(request, 'search', (store) =>
        store.search({
          text: p.q,
          target: p.target,
          limit: p.limit,
          offset: p.offset,
          filters: { dateFrom: p.from, dateTo: p.to, journal: p.journal, entityType: p.type, entity: p.entity, section: p.section },
        }),
      );
      if (!p.annotate) return result;
      const hits = await ctx.run(request, 'annotate hits', (store) => Promise.all(result.hits.map((h) => annotateHit(store, h))));
      return { total: result.total, hits };
    },
  );

  app.get<{ Querystring: { type: string; entity?: string; q?: string; limit: number } }>(
    '/api/facets',
    {
      schema: {
        summary: 'Top entities of a type, in articles mentioning an entity or matching a text',
        querystring: parameters(
          {
            type: entityTypeParam,
            entity: { type: 'string', maxLength: 300, description: 'entity key, @Type or text' },
            q: text,
            limit: limitParam(limits.maxPageSize, 10),
          },
          ['type'],
        ),
        response: { 200: okResponse('facet buckets', { facets: { type: 'array' } }), ...errorResponses },
      },
    },
    async (request) => {
      const p = request.query;
      const facets = await ctx.run(request, 'facets', (store) =>
        store.facets({ type: p.type, limit: p.limit, text: p.q, ...(p.entity ? { entity: parseEntitySide(p.entity, 'entity') } : {}) }),
      );
      return { facets };
    },
  );

  app.get<{ Querystring: { q: string; limit: number } }>(
    '/api/ask',
    {
      schema: {
        summary: 'Evidence sentences for a question (BM25 over sentences)',
        querystring: parameters({ q: { ...text, minLength: 1 }, limit: limitParam(limits.maxPageSize, 5) }, ['q']),
        response: { 200: okResponse('ranked sentences', { sentences: { type: 'array' } }), ...errorResponses },
      },
    },
    async (request) => ctx.run(request, 'ask', (store) => store.ask({ question: request.query.q, limit: request.query.limit })),
  );
}

async function annotateHit(store: SearchStore, hit: SearchHit): Promise<AnnotatedHit> {
  const { mentions } = await store.articleAnnotations(hit.documentId);
  const byKey = new Map<string, AnnotatedHit['entities'][number]>();
  for (const m of mentions) {
    const e = byKey.get(m.key) ?? { key: m.key, type: m.type, text: m.text, mentions: 0 };
    e.mentions++;
    byKey.set(m.key, e);
  }
  const entities = [...byKey.values()].sort((a, b) => b.mentions - a.mentions || (a.key < b.key ? -1 : 1)).slice(0, 8);
  const s = hit.sentence;
  const shown = s ? mentions.filter((m) => m.sentenceId === s.id) : mentions.filter((m) => m.passageId === 'title');
  return { ...hit, entities, mentions: shown };
}
