/**
 * The Elasticsearch store's entity and article-annotation reads (EntityReads): term filters and
 * aggregations over the mentions, relations, sentences and articles indices, the same answers as
 * the embedded store. ElasticsearchStore delegates to these functions with its client and names.
 *
 *   await esEntity(reader, 'Chemical:cisplatin')
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import type { IndexKind } from './elasticsearch-mappings.js';
import type {
  ArticleAnnotations,
  ArticleMention,
  ArticleRelation,
  ArticleSentence,
  CoMentionQuery,
  EntitySuggestQuery,
  EntitySuggestion,
  EntitySummary,
} from './entity-reads.js';
import type { FacetBucket } from './store.js';
import { normKey, normText } from './store-fields.js';

/** What the reads need from the store: its client, index names and its error-coding call wrapper. */
export interface EsReader {
  client: Client;
  names: Record<IndexKind, string>;
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

/** One document's annotations fit well under this (full texts: a few thousand mentions). */
const MAX_PER_DOCUMENT = 10_000;
const MAX_DOCUMENTS = 10_000;

export async function esArticleAnnotations(r: EsReader, documentId: string): Promise<ArticleAnnotations> {
  const byDoc = { bool: { filter: [{ term: { documentId } }] } };
  const [sentences, mentions, relations] = await Promise.all([
    r.call('read article sentences', () =>
      r.client.search<SentenceDoc>({
        index: r.names.sentences,
        size: MAX_PER_DOCUMENT,
        query: byDoc,
        sort: [{ passageId: 'asc' }, { start: 'asc' }],
        _source: ['sentenceId', 'passageId', 'start', 'end', 'text'],
      }),
    ),
    r.call('read article mentions', () =>
      r.client.search<MentionDoc>({
        index: r.names.mentions,
        size: MAX_PER_DOCUMENT,
        query: byDoc,
        sort: [{ passageId: 'asc' }, { start: 'asc' }, { end: 'asc' }, { mentionId: 'asc' }],
        _source: ['mentionId', 'passageId', 'sentenceId', 'start', 'end', 'text', 'type', 'key', 'score'],
      }),
    ),
    r.call('read article relations', () =>
      r.client.search<RelationDoc>({
        index: r.names.relations,
        size: MAX_PER_DOCUMENT,
        query: byDoc,
        sort: [{ score: 'desc' }, { relationId: 'asc' }],
        _source: [
          'relationId',
          'type',
          'sentenceId',
          'score',
          'subjectId',
          'subjectKey',
          'subjectType',
          'subjectText',
          'objectId',
          'objectKey',
          'objectType',
          'objectText',
        ],
      }),
    ),
  ]);
  return {
    sentences: sentences.hits.hits.map((h): ArticleSentence => {
      const s = h._source!;
      return { id: s.sentenceId, passageId: s.passageId, start: s.start, end: s.end, text: s.text };
    }),
    mentions: mentions.hits.hits.map((h): ArticleMention => {
      const m = h._source!;
      return {
        id: m.mentionId,
        passageId: m.passageId,
        sentenceId: m.sentenceId,
        start: m.start,
        end: m.end,
        text: m.text,
        type: m.type,
        key: m.key,
        score: roundScore(m.score),
      };
    }),
    relations: relations.hits.hits.map((h): ArticleRelation => {
      const x = h._source!;
      return {
        id: x.relationId,
        type: x.type,
        sentenceId: x.sentenceId,
        score: roundScore(x.score),
        subject: { mentionId: x.subjectId, key: x.subjectKey, type: x.subjectType, text: x.subjectText },
        object: { mentionId: x.objectId, key: x.objectKey, type: x.objectType, text: x.objectText },
      };
    }),
  };
}

export async function esEntity(r: EsReader, key: string): Promise<EntitySummary | null> {
  const k = normKey(key);
  const [mentions, years] = await Promise.all([
    r.call('read entity', () =>
      r.client.search({
        index: r.names.mentions,
        size: 0,
        track_total_hits: true,
        query: { bool: { filter: [{ term: { key: k } }] } },
        aggs: {
          documents: { cardinality: { field: 'documentId', precision_threshold: 40_000 } },
          type: { terms: { field: 'type', size: 1, order: [{ _key: 'asc' }] } },
          names: { terms: { field: 'text', size: 20, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
        },
      }),
    ),
    r.call('read entity years', () =>
      r.client.search({
        index: r.names.articles,
        size: 0,
        query: { bool: { filter: [{ term: { entityKeys: k } }, { exists: { field: 'publishedDate' } }] } },
        aggs: { years: { date_histogram: { field: 'publishedDate', calendar_interval: 'year', format: 'yyyy', min_doc_count: 1 } } },
      }),
    ),
  ]);
  const total = typeof mentions.hits.total === 'number' ? mentions.hits.total : (mentions.hits.total?.value ?? 0);
  const aggs = mentions.aggregations as unknown as EntityAggs;
  const type = aggs.type.buckets[0]?.key;
  if (!total || !type) return null;
  const names = aggs.names.buckets.map((b) => ({ text: b.key, mentions: b.doc_count }));
  const yearBuckets = (years.aggregations as unknown as { years: { buckets: { key_as_string: string; doc_count: number }[] } }).years
    .buckets;
  return {
    key: k,
    type,
    text: names[0]?.text ?? '',
    names,
    documents: aggs.documents.value,
    mentions: total,
    years: yearBuckets.map((b) => ({ year: b.key_as_string, documents: b.doc_count })),
  };
}

export async function esSuggestEntities(r: EsReader, query: EntitySuggestQuery): Promise<EntitySuggestion[]> {
  const prefix = normText(query.prefix);
  if (!prefix) return [];
  // A prefix query on the keyword field takes the prefix literally: no wildcard or syntax inside.
  const filter: estypes.QueryDslQueryContainer[] = [{ prefix: { textNorm: prefix } }];
  if (query.type) filter.push({ term: { type: query.type } });
  return bucketsByKey(r, 'suggest entities', filter, [], clamp(query.limit, 10));
}

export async function esCoMentioned(r: EsReader, query: CoMentionQuery): Promise<FacetBucket[]> {
  const k = normKey(query.key);
  const docs = await r.call('find documents by entity', () =>
    r.client.search({
      index: r.names.mentions,
      size: 0,
      query: { bool: { filter: [{ term: { key: k } }] } },
      aggs: { docs: { terms: { field: 'documentId', size: MAX_DOCUMENTS } } },
    }),
  );
  const ids = (docs.aggregations as unknown as { docs: { buckets: { key: string }[] } }).docs.buckets.map((b) => b.key);
  if (!ids.length) return [];
  const filter: estypes.QueryDslQueryContainer[] = [{ terms: { documentId: ids } }];
  if (query.type) filter.push({ term: { type: query.type } });
  return bucketsByKey(r, 'co-mentioned entities', filter, [{ term: { key: k } }], clamp(query.limit, 10));
}

/** Mentions matching the filters grouped by entity key, ranked by documents, then mentions, then key. */
export async function bucketsByKey(
  r: EsReader,
  what: string,
  filter: estypes.QueryDslQueryContainer[],
  mustNot: estypes.QueryDslQueryContainer[],
  limit: number,
): Promise<FacetBucket[]> {
  const res = await r.call(what, () =>
    r.client.search({
      index: r.names.mentions,
      size: 0,
      query: { bool: { filter, must_not: mustNot } },
      aggs: {
        keys: {
          terms: { field: 'key', size: limit, order: [{ documents: 'desc' }, { _count: 'desc' }, { _key: 'asc' }] },
          aggs: {
            documents: { cardinality: { field: 'documentId' } },
            text: { terms: { field: 'text', size: 1, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
            type: { terms: { field: 'type', size: 1, order: [{ _key: 'asc' }] } },
          },
        },
      },
    }),
  );
  const aggs = res.aggregations as unknown as KeyAggs;
  return aggs.keys.buckets.map((b) => ({
    key: b.key,
    text: b.text.buckets[0]?.key ?? '',
    type: b.type.buckets[0]?.key ?? '',
    documents: b.documents.value,
    mentions: b.doc_count,
  }));
}

function clamp(n: number | undefined, fallback: number): number {
  return Math.min(Math.max(1, Math.floor(n ?? fallback)), 1000);
}

/** Scores are stored as float: 0.9 comes back as 0.8999999761581421. */
function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

interface SentenceDoc {
  sentenceId: string;
  passageId: string;
  start: number;
  end: number;
  text: string;
}

interface MentionDoc {
  mentionId: string;
  passageId: string;
  sentenceId: string;
  start: number;
  end: number;
  text: string;
  type: string;
  key: string;
  score: number;
}

interface RelationDoc {
  relationId: string;
  type: string;
  sentenceId: string;
  score: number;
  subjectId: string;
  subjectKey: string;
  subjectType: string;
  subjectText: string;
  objectId: string;
  objectKey: string;
  objectType: string;
  objectText: string;
}

interface EntityAggs {
  documents: { value: number };
  type: { buckets: { key: string }[] };
  names: { buckets: { key: string; doc_count: number }[] };
}

interface KeyAggs {
  keys: {
    buckets: {
      key: string;
      doc_count: number;
      documents: { value: number };
      text: { buckets: { key: string }[] };
      type: { buckets: { key: string }[] };
    }[];
  };
}
