/**
 * `GET /api/articles/:id`: one article (metadata and passages) with its sentences, its mentions
 * (offsets into their passage, type, key, score) and its relations.
 *
 *   GET /api/articles/pmid:31452104
 */
import type { FastifyInstance } from 'fastify';
import { LitmineError } from '../../errors.js';
import { type RouteContext, errorResponses, okResponse, parameters } from '../route-context.js';

export function articleRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/articles/:id',
    {
      schema: {
        summary: 'An article with its annotated mentions and relations',
        params: parameters({ id: { type: 'string', pattern: '^(pmid|pmc|doi):\\S{1,200}$', description: 'pmid:N, pmc:PMCN or doi:…' } }, [
          'id',
        ]),
        response: {
          200: okResponse('the article and its annotations', {
            article: { type: 'object', additionalProperties: true },
            sentences: { type: 'array' },
            mentions: { type: 'array' },
            relations: { type: 'array' },
          }),
          404: { $ref: 'litmine-error#' },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const id = request.params.id;
      const [article, annotations] = await ctx.run(request, 'read article', (store) =>
        Promise.all([store.getArticle(id), store.articleAnnotations(id)]),
      );
      if (!article) throw new LitmineError('LITMINE_NOT_FOUND', `no article ${id}`);
      return { article, ...annotations };
    },
  );
}
