/**
 * The search-store seam: what the index stage writes and what analysts query, implemented by the
 * embedded SQLite FTS5 store and by Elasticsearch. Both answer the same queries with the same
 * shapes; one contract test suite runs against each.
 *
 *   await store.apply([{ op: 'upsertArticle', article }, { op: 'upsertAnnotation', annotation }]);
 *   const hits = await store.search({ text: 'pannexin 1', filters: { entityType: 'Gene' } });
 *   const rel = await store.relations({ entity: { text: 'cisplatin' }, type: 'CID' });
 *   const next = await store.createIndexSet('v2'); await next.apply(ops); await store.swapTo('v2');
 */
import type { Annotation, Article } from '../records/types.js';
import type { EntityReads } from './entity-reads.js';

export type StoreOp =
  | { op: 'upsertArticle'; article: Article }
  | { op: 'upsertAnnotation'; annotation: Annotation }
  /** Removes the article, its sentences, mentions and relations; remembers the delete so a late
   * annotation of an older version is ignored. */
  | { op: 'deleteArticle'; documentId: string; version?: number };

export interface ApplyResult {
  applied: number;
  /** Ops the store refused for good (bad document), with the reason, for the dead-letter path. */
  rejected: { op: StoreOp; reason: string }[];
  /** Ops counted in `applied` that changed nothing because they were stale (an older version, or a
   * document deleted at that version): handled, not errors. */
  ignored?: number;
}

export interface SearchFilters {
  /** Inclusive publication-date bounds, "YYYY" / "YYYY-MM" / "YYYY-MM-DD". */
  dateFrom?: string;
  dateTo?: string;
  journal?: string;
  /** Only articles with at least one mention of this type. */
  entityType?: string;
  /** Only articles mentioning this entity (key "Disease:breast cancer", or text). */
  entity?: string;
  /**
   * Only matches in passages of this section: the section path or structured-abstract label
   * ("Methods", "Results > Localization", "CONCLUSIONS"), case-insensitively, or a path under it.
   * Sentence hits are sentences of such passages; article hits have such a sentence matching the text.
   */
  section?: string;
}

export interface SearchQuery {
  text: string;
  filters?: SearchFilters;
  /** 'articles' ranks documents; 'sentences' ranks sentences. Default 'articles'. */
  target?: 'articles' | 'sentences';
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  documentId: string;
  pmid?: string;
  pmcid?: string;
  title: string;
  journal?: string;
  published?: string;
  score: number;
  /** Matched fragments with the matched terms wrapped in «…». */
  highlights: string[];
  /** Present for sentence hits. */
  sentence?: { id: string; passageId: string; text: string; start: number; end: number };
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
}

export interface EntityRef {
  /** Entity key ("Chemical:cisplatin"), or text matched case-insensitively, optionally with a type. */
  key?: string;
  text?: string;
  type?: string;
}

export interface RelationQuery {
  entity?: EntityRef;
  subject?: EntityRef;
  object?: EntityRef;
  type?: string;
  limit?: number;
  /** Evidence sentences returned per relation group. */
  evidencePerRelation?: number;
}

export interface RelationEvidence {
  relationId: string;
  documentId: string;
  pmid?: string;
  sentenceId: string;
  sentence: string;
  score: number;
}

export interface RelationGroup {
  type: string;
  subject: { key: string; type: string; text: string };
  object: { key: string; type: string; text: string };
  /** Number of relation instances (sentences) and distinct documents supporting it. */
  count: number;
  documents: number;
  maxScore: number;
  evidence: RelationEvidence[];
}

export interface RelationResult {
  total: number;
  relations: RelationGroup[];
}

export interface FacetQuery {
  /** Facet over mentions of this type ("Chemical"). */
  type: string;
  /** Restrict to articles mentioning this entity, or matching this text. */
  entity?: EntityRef;
  text?: string;
  limit?: number;
}

export interface FacetBucket {
  key: string;
  text: string;
  type: string;
  documents: number;
  mentions: number;
}

export interface AskQuery {
  question: string;
  /** Entities found in the question by the NER model; their sentences are boosted. */
  entities?: { text: string; type: string }[];
  limit?: number;
}

export interface AskAnswer {
  sentences: { documentId: string; pmid?: string; sentenceId: string; text: string; score: number }[];
}

export interface StoreCounts {
  articles: number;
  sentences: number;
  mentions: number;
  relations: number;
}

/**
 * Named generations of the store's contents. One is live: queries and writes through the store reach
 * it. Reprocessing fills another set while the live one answers, then swaps. On Elasticsearch a set
 * is five versioned indices behind aliases; on the embedded store a SQLite file beside the store
 * file, named live by a pointer file (sqlite-index-sets.ts). Names pass through indexSetName().
 */
export interface IndexSets {
  /**
   * Creates the set when missing (idempotent: an existing set keeps its contents, so a stopped fill
   * resumes) and returns a store that reads and writes that set directly; close it when done.
   * `bulkLoad` (Elasticsearch) turns refresh off until the swap.
   */
  createIndexSet(name: string, options?: { bulkLoad?: boolean }): Promise<SearchStore>;
  /** The sets that exist, sorted. */
  listIndexSets(): Promise<string[]>;
  /** The live set, or null when there is none yet. */
  currentIndexSet(): Promise<string | null>;
  /**
   * Makes `name` the live set in one atomic step, for every store opened on the same data, including
   * those opened before the swap; returns the previous live set (kept until dropIndexSet).
   */
  swapTo(name: string): Promise<string | null>;
  /** Removes a set and its contents; refuses the live one. */
  dropIndexSet(name: string): Promise<void>;
}

/** Writes, searches, the article and entity reads of the analysts' pages (entity-reads.ts), and index sets. */
export interface SearchStore extends EntityReads, IndexSets {
  readonly kind: 'embedded' | 'elasticsearch';
  /** Creates tables / indices and aliases when missing. Idempotent. */
  init(): Promise<void>;
  apply(ops: StoreOp[]): Promise<ApplyResult>;
  getArticle(documentId: string): Promise<Article | null>;
  search(query: SearchQuery): Promise<SearchResult>;
  relations(query: RelationQuery): Promise<RelationResult>;
  facets(query: FacetQuery): Promise<FacetBucket[]>;
  ask(query: AskQuery): Promise<AskAnswer>;
  counts(): Promise<StoreCounts>;
  /** Makes recent writes visible to queries (Elasticsearch refresh; a no-op when embedded). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}
