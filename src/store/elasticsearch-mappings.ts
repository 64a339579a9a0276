/**
 * Index templates for the Elasticsearch store: one index per kind (articles, sentences, mentions,
 * relations, state) per index set, `<prefix>-<kind>-v<set>`, read and written through the alias
 * `<prefix>-<kind>`. TEMPLATE_VERSION goes up whenever a mapping changes (templates are versioned).
 *
 *   indexTemplates('litmine', { analyzerFilters: ['lowercase'], shards: 1, replicas: 0 })
 */

export const TEMPLATE_VERSION = 1;

export const INDEX_KINDS = ['articles', 'sentences', 'mentions', 'relations', 'state'] as const;
export type IndexKind = (typeof INDEX_KINDS)[number];

export interface TemplateOptions {
  /** Token filters after the standard tokenizer ('lowercase', plus 'asciifolding' where the server has it). */
  analyzerFilters: string[];
  shards: number;
  replicas: number;
  /** Refresh interval while ingesting; queries after a write call refresh() explicitly. */
  refreshInterval: string;
}

const keyword = { type: 'keyword' } as const;
const text = { type: 'text', analyzer: 'litmine_text' } as const;
const storedOnly = { type: 'keyword', index: false, doc_values: false } as const;

/** Fields each kind maps; everything else is stored, not indexed (dynamic: false). */
const PROPERTIES: Record<IndexKind, Record<string, unknown>> = {
  articles: {
    documentId: keyword,
    version: { type: 'integer' },
    source: keyword,
    fullText: { type: 'boolean' },
    pmid: keyword,
    pmcid: keyword,
    doi: keyword,
    // Title, abstract and body: standard tokenizer keeps "IL-6" as il + 6 (found as a phrase) and "p53" whole.
    title: text,
    abstract: text,
    body: text,
    journal: keyword,
    journalKeys: keyword,
    published: keyword,
    publishedDate: { type: 'date', format: 'yyyy-MM-dd' },
    mesh: keyword,
    chemicals: keyword,
    keywords: keyword,
    publicationTypes: keyword,
    license: keyword,
    entityKeys: keyword,
    entityTypes: keyword,
    entityTexts: keyword,
    article: { type: 'object', enabled: false },
  },
  sentences: {
    sentenceId: keyword,
    documentId: keyword,
    version: { type: 'integer' },
    passageId: keyword,
    section: keyword,
    start: { type: 'integer' },
    end: { type: 'integer' },
    text,
    mentionKeys: keyword,
    mentionTypes: keyword,
    mentionTexts: keyword,
    modelVersion: keyword,
    annotationTag: keyword,
  },
  mentions: {
    mentionId: keyword,
    documentId: keyword,
    version: { type: 'integer' },
    sentenceId: keyword,
    passageId: keyword,
    type: keyword,
    key: keyword,
    text: keyword,
    textNorm: keyword,
    start: { type: 'integer' },
    end: { type: 'integer' },
    score: { type: 'float' },
    modelVersion: keyword,
    annotationTag: keyword,
  },
  relations: {
    relationId: keyword,
    type: keyword,
    documentId: keyword,
    version: { type: 'integer' },
    sentenceId: keyword,
    sentence: storedOnly,
    subjectId: keyword,
    subjectKey: keyword,
    subjectType: keyword,
    subjectText: keyword,
    subjectNorm: keyword,
    objectId: keyword,
    objectKey: keyword,
    objectType: keyword,
    objectText: keyword,
    objectNorm: keyword,
    groupKey: keyword,
    score: { type: 'float' },
    modelVersion: keyword,
    annotationTag: keyword,
  },
  // What the store knows per document (versions, deletes, annotation entities), read with mget.
  state: {
    documentId: keyword,
  },
};

export function indexName(prefix: string, kind: IndexKind, set: string): string {
  return `${prefix}-${kind}-v${set}`;
}

export function aliasName(prefix: string, kind: IndexKind): string {
  return `${prefix}-${kind}`;
}

/** Composable index templates, one per kind, matching every index set of the prefix. */
export function indexTemplates(prefix: string, options: TemplateOptions) {
  return INDEX_KINDS.map((kind) => ({
    name: `${prefix}-${kind}`,
    index_patterns: [`${prefix}-${kind}-v*`],
    priority: 200,
    version: TEMPLATE_VERSION,
    _meta: { owner: 'litmine', kind },
    template: {
      settings: {
        number_of_shards: options.shards,
        number_of_replicas: options.replicas,
        refresh_interval: options.refreshInterval,
        analysis: {
          analyzer: { litmine_text: { type: 'custom', tokenizer: 'standard', filter: options.analyzerFilters } },
        },
      },
      mappings: { dynamic: false, _meta: { templateVersion: TEMPLATE_VERSION }, properties: PROPERTIES[kind] },
    },
  }));
}
