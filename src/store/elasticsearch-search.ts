/**
 * Full-text search over the Elasticsearch store: articles (phrases over title/abstract/body with
 * highlights) or sentences, with the date/journal/entity/section filters. Query building only; the
 * store passes its client, index names and error wrapping as an EsReader.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { EsReader } from './elasticsearch-entity-queries.js';
import { sectionQuery } from './elasticsearch-sections.js';
import { matchesNothing, searchPhrases } from './query-terms.js';
import type { SearchFilters, SearchHit, SearchQuery, SearchResult } from './store.js';
import { dateBound, normKey, normText, pmidOf } from './store-fields.js';

/** Id lists gathered for a filter are bounded by this (the terms query limit). */
export const MAX_IDS = 10_000;

export async function esSearch(r: EsReader, query: SearchQuery): Promise<SearchResult> {
  const limit = clampLimit(query.limit, 10);
  const from = Math.max(0, query.offset ?? 0);
  if (matchesNothing(query.text)) return { total: 0, hits: [] };
  const phrases = searchPhrases(query.text ?? '');
  const filters = articleFilters(query.filters ?? {});
  const section = query.filters?.section;
  if ((query.target ?? 'articles') === 'sentences') return searchSentences(r, phrases, filters, limit, from, section);
  if (section) {
    // Articles with a sentence of the section that matches the text on its own (bounded by MAX_IDS).
    const ids = await sentenceDocuments(r, phrases, section);
    if (!ids.length) return { total: 0, hits: [] };
    filters.push({ terms: { documentId: ids } });
  }
  const must: estypes.QueryDslQueryContainer[] = phrases.map((p) => ({
    multi_match: { query: p, type: 'phrase', fields: ['title^3', 'abstract^2', 'body'] },
  }));
  const res = await r.call('search articles', () =>
    r.client.search<ArticleSource>({
      index: r.names.articles,
      query: { bool: { must: must.length ? must : [{ match_all: {} }], filter: filters } },
      sort: phrases.length
        ? [{ _score: { order: 'desc' } }, { documentId: 'asc' }]
        : [{ publishedDate: { order: 'desc', missing: '_last' } }, { documentId: 'asc' }],
      track_total_hits: true,
      from,
      size: limit,
      _source: ['documentId', 'pmid', 'pmcid', 'title', 'journal', 'published'],
      ...(phrases.length
        ? {
            highlight: {
              pre_tags: ['«'],
              post_tags: ['»'],
              fields: {
                title: { number_of_fragments: 0 },
                abstract: { fragment_size: 160, number_of_fragments: 1 },
                body: { fragment_size: 160, number_of_fragments: 1 },
              },
            },
          }
        : {}),
    }),
  );
  return {
    total: totalOf(res.hits.total),
    hits: res.hits.hits.map((h) => {
      const s = h._source!;
      const hl = h.highlight ?? {};
      return {
        ...hitMeta(s.documentId, s),
        score: phrases.length ? (h._score ?? 0) : 0,
        highlights: [...(hl.title ?? []), ...(hl.abstract ?? []), ...(hl.body ?? [])],
      };
    }),
  };
}

async function searchSentences(
  r: EsReader,
  phrases: string[],
  filters: estypes.QueryDslQueryContainer[],
  limit: number,
  from: number,
  section?: string,
): Promise<SearchResult> {
  const filter: estypes.QueryDslQueryContainer[] = section ? [sectionQuery(section)] : [];
  if (filters.length) {
    // Article-level filters: the candidate articles (matching the text too, since a sentence
    // match implies an article match), then sentences of those articles. Bounded by MAX_IDS.
    const ids = await esArticleIds(r, phrases, filters);
    if (!ids.length) return { total: 0, hits: [] };
    filter.push({ terms: { documentId: ids } });
  }
  const must: estypes.QueryDslQueryContainer[] = phrases.map((p) => ({ match_phrase: { text: p } }));
  const res = await r.call('search sentences', () =>
    r.client.search<SentenceSource>({
      index: r.names.sentences,
      query: { bool: { must: must.length ? must : [{ match_all: {} }], filter } },
      sort: [{ _score: { order: 'desc' } }, { sentenceId: 'asc' }],
      track_total_hits: true,
      from,
      size: limit,
      _source: ['sentenceId', 'documentId', 'passageId', 'start', 'end', 'text'],
      ...(phrases.length ? { highlight: { pre_tags: ['«'], post_tags: ['»'], fields: { text: { number_of_fragments: 0 } } } } : {}),
    }),
  );
  const meta = await articleMeta(
    r,
    res.hits.hits.map((h) => h._source!.documentId),
  );
  return {
    total: totalOf(res.hits.total),
    hits: res.hits.hits.map((h): SearchHit => {
      const s = h._source!;
      return {
        ...hitMeta(s.documentId, meta.get(s.documentId)),
        score: phrases.length ? (h._score ?? 0) : 0,
        highlights: h.highlight?.text ?? [],
        sentence: { id: s.sentenceId, passageId: s.passageId, text: s.text, start: s.start, end: s.end },
      };
    }),
  };
}

/** Documents with a sentence of `section` matching every phrase. */
async function sentenceDocuments(r: EsReader, phrases: string[], section: string): Promise<string[]> {
  const res = await r.call('find sentences of a section', () =>
    r.client.search({
      index: r.names.sentences,
      size: 0,
      query: { bool: { filter: [...phrases.map((p) => ({ match_phrase: { text: p } })), sectionQuery(section)] } },
      aggs: { documents: { terms: { field: 'documentId', size: MAX_IDS } } },
    }),
  );
  const agg = res.aggregations?.documents as estypes.AggregationsStringTermsAggregate | undefined;
  return ((agg?.buckets ?? []) as estypes.AggregationsStringTermsBucket[]).map((b) => String(b.key));
}

export async function esArticleIds(r: EsReader, phrases: string[], filters: estypes.QueryDslQueryContainer[]): Promise<string[]> {
  const must = phrases.map((p) => ({ multi_match: { query: p, type: 'phrase' as const, fields: ['title', 'abstract', 'body'] } }));
  const res = await r.call('find articles', () =>
    r.client.search<{ documentId: string }>({
      index: r.names.articles,
      query: { bool: { filter: [...must, ...filters] } },
      size: MAX_IDS,
      _source: ['documentId'],
    }),
  );
  return res.hits.hits.map((h) => h._source!.documentId);
}

async function articleMeta(r: EsReader, ids: string[]): Promise<Map<string, ArticleSource>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, ArticleSource>();
  if (!unique.length) return out;
  const res = await r.call('read article metadata', () =>
    r.client.mget<ArticleSource>({
      index: r.names.articles,
      ids: unique,
      _source_includes: ['documentId', 'pmid', 'pmcid', 'title', 'journal', 'published'],
    }),
  );
  for (const d of res.docs) if ('found' in d && d.found && d._source) out.set(d._id, d._source);
  return out;
}

function articleFilters(filters: SearchFilters): estypes.QueryDslQueryContainer[] {
  const out: estypes.QueryDslQueryContainer[] = [];
  if (filters.dateFrom || filters.dateTo) {
    out.push({
      range: {
        publishedDate: {
          ...(filters.dateFrom ? { gte: dateBound(filters.dateFrom, 'lower') } : {}),
          ...(filters.dateTo ? { lte: dateBound(filters.dateTo, 'upper') } : {}),
          format: 'yyyy-MM-dd',
        },
      },
    });
  }
  if (filters.journal) out.push({ term: { journalKeys: normText(filters.journal) } });
  if (filters.entityType) out.push({ term: { entityTypes: filters.entityType } });
  if (filters.entity) {
    out.push({
      bool: {
        should: [{ term: { entityKeys: normKey(filters.entity) } }, { term: { entityTexts: normText(filters.entity) } }],
        minimum_should_match: 1,
      },
    });
  }
  return out;
}

function hitMeta(documentId: string, s: ArticleSource | undefined): Omit<SearchHit, 'score' | 'highlights'> {
  const pmid = s?.pmid ?? pmidOf(documentId);
  return {
    documentId,
    ...(pmid ? { pmid } : {}),
    ...(s?.pmcid ? { pmcid: s.pmcid } : {}),
    title: s?.title ?? '',
    ...(s?.journal ? { journal: s.journal } : {}),
    ...(s?.published ? { published: s.published } : {}),
  };
}

function totalOf(total: number | estypes.SearchTotalHits | undefined): number {
  return typeof total === 'number' ? total : (total?.value ?? 0);
}

export function clampLimit(n: number | undefined, fallback: number): number {
  return Math.min(Math.max(1, Math.floor(n ?? fallback)), 1000);
}

export interface ArticleSource {
  documentId: string;
  pmid?: string;
  pmcid?: string;
  title?: string;
  journal?: string;
  published?: string;
}

export interface SentenceSource {
  sentenceId: string;
  documentId: string;
  passageId: string;
  start: number;
  end: number;
  text: string;
}
