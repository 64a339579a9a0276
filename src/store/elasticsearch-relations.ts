/**
 * Aggregating queries over the Elasticsearch store: relations grouped by subject–type–object with
 * evidence, entity facets, and sentence answers to a question (BM25 boosted by question entities).
 * Query building only; the store passes an EsReader.
 */
import type { estypes } from '@elastic/elasticsearch';
import { bucketsByKey, type EsReader } from './elasticsearch-entity-queries.js';
import { type SentenceSource, MAX_IDS, clampLimit, esArticleIds } from './elasticsearch-search.js';
import { questionTerms, searchPhrases } from './query-terms.js';
import type { AskAnswer, AskQuery, EntityRef, FacetBucket, FacetQuery, RelationGroup, RelationQuery, RelationResult } from './store.js';
import { normKey, normText, pmidOf } from './store-fields.js';

export async function esRelations(r: EsReader, query: RelationQuery): Promise<RelationResult> {
  const limit = clampLimit(query.limit, 20);
  const perGroup = clampLimit(query.evidencePerRelation, 3);
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (query.type) filter.push({ term: { type: query.type } });
  if (query.subject) filter.push(entityQuery(query.subject, 'subject'));
  if (query.object) filter.push(entityQuery(query.object, 'object'));
  if (query.entity) {
    filter.push({
      bool: { should: [entityQuery(query.entity, 'subject'), entityQuery(query.entity, 'object')], minimum_should_match: 1 },
    });
  }
  const topText = (field: string) => ({ terms: { field, size: 1, order: [{ _count: 'desc' as const }, { _key: 'asc' as const }] } });
  const res = await r.call('query relations', () =>
    r.client.search({
      index: r.names.relations,
      size: 0,
      query: { bool: { filter } },
      aggs: {
        total: { cardinality: { field: 'groupKey', precision_threshold: 40_000 } },
        groups: {
          terms: {
            field: 'groupKey',
            size: limit,
            order: [{ documents: 'desc' }, { _count: 'desc' }, { maxScore: 'desc' }, { _key: 'asc' }],
          },
          aggs: {
            documents: { cardinality: { field: 'documentId' } },
            maxScore: { max: { field: 'score' } },
            subjectText: topText('subjectText'),
            objectText: topText('objectText'),
            evidence: {
              top_hits: {
                size: perGroup,
                sort: [{ score: 'desc' }, { relationId: 'asc' }],
                _source: [
                  'relationId',
                  'documentId',
                  'sentenceId',
                  'sentence',
                  'score',
                  'type',
                  'subjectKey',
                  'subjectType',
                  'objectKey',
                  'objectType',
                ],
              },
            },
          },
        },
      },
    }),
  );
  const aggs = res.aggregations as unknown as RelationAggs;
  const relations: RelationGroup[] = aggs.groups.buckets.map((b) => {
    const hits = b.evidence.hits.hits.map((h) => h._source);
    const first = hits[0]!;
    return {
      type: first.type,
      subject: { key: first.subjectKey, type: first.subjectType, text: b.subjectText.buckets[0]?.key ?? '' },
      object: { key: first.objectKey, type: first.objectType, text: b.objectText.buckets[0]?.key ?? '' },
      count: b.doc_count,
      documents: b.documents.value,
      maxScore: roundScore(b.maxScore.value),
      evidence: hits.map((e) => ({
        relationId: e.relationId,
        documentId: e.documentId,
        ...(pmidOf(e.documentId) ? { pmid: pmidOf(e.documentId) } : {}),
        sentenceId: e.sentenceId,
        sentence: e.sentence ?? '',
        score: e.score,
      })),
    };
  });
  return { total: aggs.total.value, relations };
}

export async function esFacets(r: EsReader, query: FacetQuery): Promise<FacetBucket[]> {
  const limit = clampLimit(query.limit, 10);
  const filter: estypes.QueryDslQueryContainer[] = [{ term: { type: query.type } }];
  const mustNot: estypes.QueryDslQueryContainer[] = [];
  if (query.entity) {
    const ids = await documentsMentioning(r, query.entity);
    if (!ids.length) return [];
    filter.push({ terms: { documentId: ids } });
    mustNot.push(mentionQuery(query.entity));
  }
  if (query.text !== undefined && query.text !== null && query.text !== '') {
    const phrases = searchPhrases(query.text);
    if (!phrases.length) return [];
    const ids = await esArticleIds(r, phrases, []);
    if (!ids.length) return [];
    filter.push({ terms: { documentId: ids } });
  }
  const buckets = await bucketsByKey(r, 'facet mentions', filter, mustNot, limit);
  return buckets.map((b) => (b.type ? b : { ...b, type: query.type }));
}

async function documentsMentioning(r: EsReader, ref: EntityRef): Promise<string[]> {
  const res = await r.call('find documents by entity', () =>
    r.client.search({
      index: r.names.mentions,
      size: 0,
      query: { bool: { filter: [mentionQuery(ref)] } },
      aggs: { docs: { terms: { field: 'documentId', size: MAX_IDS } } },
    }),
  );
  return (res.aggregations as unknown as { docs: { buckets: { key: string }[] } }).docs.buckets.map((b) => b.key);
}

export async function esAsk(r: EsReader, query: AskQuery): Promise<AskAnswer> {
  const limit = clampLimit(query.limit, 5);
  const terms = questionTerms(query.question ?? '');
  if (!terms.length) return { sentences: [] };
  const entities = [...new Set((query.entities ?? []).map((e) => normText(e.text)).filter(Boolean))];
  // BM25 for any question word, multiplied by (1 + ENTITY_BOOST × question entities mentioned),
  // the same factor the embedded store applies.
  const res = await r.call('ask', () =>
    r.client.search<SentenceSource>({
      index: r.names.sentences,
      size: limit,
      query: {
        function_score: {
          query: { match: { text: { query: terms.join(' '), operator: 'or' } } },
          functions: [{ weight: 1 }, ...entities.map((e) => ({ filter: { term: { mentionTexts: e } }, weight: 1 }))],
          score_mode: 'sum',
          boost_mode: 'multiply',
        },
      },
      sort: [{ _score: { order: 'desc' } }, { sentenceId: 'asc' }],
      track_scores: true,
      _source: ['sentenceId', 'documentId', 'text'],
    }),
  );
  return {
    sentences: res.hits.hits.map((h) => {
      const s = h._source!;
      return {
        documentId: s.documentId,
        ...(pmidOf(s.documentId) ? { pmid: pmidOf(s.documentId) } : {}),
        sentenceId: s.sentenceId,
        text: s.text,
        score: h._score ?? 0,
      };
    }),
  };
}

/** An entity ref over one side of a relation (subjectKey / subjectNorm / subjectType). */
function entityQuery(ref: EntityRef, side: 'subject' | 'object'): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (ref.key) filter.push({ term: { [`${side}Key`]: normKey(ref.key) } });
  if (ref.text) filter.push({ term: { [`${side}Norm`]: normText(ref.text) } });
  if (ref.type) filter.push({ term: { [`${side}Type`]: ref.type } });
  return filter.length ? { bool: { filter } } : { match_all: {} };
}

/** An entity ref over mention documents. */
function mentionQuery(ref: EntityRef): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (ref.key) filter.push({ term: { key: normKey(ref.key) } });
  if (ref.text) filter.push({ term: { textNorm: normText(ref.text) } });
  if (ref.type) filter.push({ term: { type: ref.type } });
  return filter.length ? { bool: { filter } } : { match_all: {} };
}

interface RelationAggs {
  total: { value: number };
  groups: {
    buckets: {
      key: string;
      doc_count: number;
      documents: { value: number };
      maxScore: { value: number };
      subjectText: { buckets: { key: string }[] };
      objectText: { buckets: { key: string }[] };
      evidence: {
        hits: {
          hits: {
            _source: {
              relationId: string;
              documentId: string;
              sentenceId: string;
              sentence?: string;
              score: number;
              type: string;
              subjectKey: string;
              subjectType: string;
              objectKey: string;
              objectType: string;
            };
          }[];
        };
      };
    }[];
  };
}

/** Scores are stored as float: 0.9 comes back as 0.8999999761581421. */
function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
