/**
 * The reads behind the analysts' article and entity pages, part of the search-store seam: an
 * article's sentences, mentions and relations; an entity by key with its names and yearly counts;
 * entity autocomplete by text prefix; the entities most often mentioned in the same articles.
 *
 *   await store.entity('Chemical:cisplatin')  →  { key, type, text, names, documents, mentions, years }
 */
import type { FacetBucket } from './store.js';

export interface ArticleMention {
  id: string;
  passageId: string;
  sentenceId: string;
  /** [start, end) in UTF-16 code units of the passage text. */
  start: number;
  end: number;
  text: string;
  type: string;
  key: string;
  score: number;
}

export interface RelationSide {
  mentionId: string;
  key: string;
  type: string;
  text: string;
}

export interface ArticleRelation {
  id: string;
  type: string;
  sentenceId: string;
  score: number;
  subject: RelationSide;
  object: RelationSide;
}

export interface ArticleSentence {
  id: string;
  passageId: string;
  start: number;
  end: number;
  text: string;
}

/** Everything annotated in one document, ordered by passage and offset (empty when not annotated). */
export interface ArticleAnnotations {
  sentences: ArticleSentence[];
  mentions: ArticleMention[];
  relations: ArticleRelation[];
}

export interface EntitySummary {
  key: string;
  type: string;
  /** The most frequent surface text. */
  text: string;
  /** Surface texts with their mention counts, most frequent first (at most 20). */
  names: { text: string; mentions: number }[];
  documents: number;
  mentions: number;
  /** Articles mentioning the entity per publication year, oldest first (undated articles left out). */
  years: { year: string; documents: number }[];
}

export interface EntitySuggestQuery {
  /** Start of a mention text, matched case-insensitively (normalised as mention texts are). */
  prefix: string;
  type?: string;
  limit?: number;
}

/** An entity whose mentions start with the prefix; counts are over those mentions. */
export type EntitySuggestion = FacetBucket;

export interface CoMentionQuery {
  key: string;
  /** Only co-mentioned entities of this type. */
  type?: string;
  limit?: number;
}

export interface EntityReads {
  articleAnnotations(documentId: string): Promise<ArticleAnnotations>;
  /** null when no mention has this key. */
  entity(key: string): Promise<EntitySummary | null>;
  suggestEntities(query: EntitySuggestQuery): Promise<EntitySuggestion[]>;
  /** Entities mentioned in the articles that mention `key` (itself excluded), by shared articles. */
  coMentioned(query: CoMentionQuery): Promise<FacetBucket[]>;
}

/** Upper bound of a prefix range: every string starting with `prefix` sorts below it. */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
