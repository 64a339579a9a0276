/**
 * `GET /api/export`: annotated documents as BioC JSON, BioC XML or PubTator, written by the same
 * code as `litmine export` (src/interchange/export-documents.ts), for listed ids and/or the
 * articles a search finds. Articles and annotations come from the store.
 *
 *   GET /api/export?format=pubtator&ids=pmid:31452104,pmid:30000000     GET /api/export?format=biocxml&q=cisplatin&limit=20
 */
import type { FastifyInstance } from 'fastify';
import { LitmineError } from '../../errors.js';
import { EXPORT_FORMATS, type ExportFormat, writeExport } from '../../interchange/export-documents.js';
import { type RouteContext, errorResponses, limitParam, parameters } from '../route-context.js';
import { storeAnnotation } from '../store-annotation.js';

/** At most this many ids in one request. */
export const MAX_EXPORT_IDS = 100;
const ID = '(pmid|pmc|doi):[^,\\s]{1,200}';

export function exportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { limits } = ctx;
  app.get<{ Querystring: { format: ExportFormat; ids?: string; q?: string; limit: number } }>(
    '/api/export',
    {
      schema: {
        summary: 'Annotated documents as BioC JSON, BioC XML or PubTator, by ids and/or a search',
        querystring: parameters(
          {
            format: { type: 'string', enum: [...EXPORT_FORMATS] },
            ids: {
              type: 'string',
              maxLength: MAX_EXPORT_IDS * 40,
              pattern: `^${ID}(,${ID}){0,${MAX_EXPORT_IDS - 1}}$`,
              description: `comma-separated document ids (pmid:N, pmc:PMCN, doi:…), at most ${MAX_EXPORT_IDS}`,
            },
            q: { type: 'string', minLength: 1, maxLength: limits.maxQueryLength, description: 'export the articles this search finds' },
            limit: { ...limitParam(MAX_EXPORT_IDS, 20), description: 'most articles taken from the search' },
          },
          ['format'],
        ),
        response: {
          200: {
            description: 'BioC JSON (application/json), BioC XML (application/xml) or PubTator (text/plain)',
            content: {
              'application/json': { schema: { type: 'object', additionalProperties: true } },
              'application/xml': { schema: { type: 'string' } },
              'text/plain': { schema: { type: 'string' } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (!q.ids && !q.q) throw new LitmineError('LITMINE_HTTP_BAD_REQUEST', 'querystring needs ids or q');
      const wanted = q.ids ? q.ids.split(',') : [];
      const query = q.q;
      if (query) {
        const hits = await ctx.run(request, 'search', (store) => store.search({ text: query, limit: q.limit }));
        wanted.push(...hits.hits.map((h) => h.documentId));
      }
      const ids = [...new Set(wanted)];
      const docs = await ctx.run(request, 'read articles', (store) =>
        Promise.all(
          ids.map(async (id) => {
            const [article, annotations] = await Promise.all([store.getArticle(id), store.articleAnnotations(id)]);
            return article ? { article, annotation: storeAnnotation(annotations, (key) => ctx.names?.preferredName(key)) } : null;
          }),
        ),
      );
      const found = docs.filter((d) => d !== null);
      if (found.length === 0) throw new LitmineError('LITMINE_NOT_FOUND', `no article ${ids.join(', ') || `found by "${q.q}"`}`);
      const { text, contentType } = writeExport(q.format, found);
      const missing = ids.filter((_id, i) => docs[i] === null);
      if (missing.length) reply.header('x-litmine-not-found', missing.join(','));
      return reply.type(contentType).send(text);
    },
  );
}
