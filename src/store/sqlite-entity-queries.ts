/**
 * The embedded store's entity and article-annotation reads (EntityReads) over its SQLite tables:
 * plain indexed SQL with bound parameters. SqliteStore delegates to these functions.
 *
 *   sqliteEntity(db, 'Chemical:cisplatin')  →  { key, type, names, documents, mentions, years }
 */
import type Database from 'better-sqlite3';
import type { ArticleAnnotations, CoMentionQuery, EntitySuggestQuery, EntitySuggestion, EntitySummary } from './entity-reads.js';
import { prefixUpperBound } from './entity-reads.js';
import type { FacetBucket } from './store.js';
import { normKey, normText } from './store-fields.js';

export function sqliteArticleAnnotations(db: Database.Database, documentId: string): ArticleAnnotations {
  const sentences = db
    .prepare('SELECT id, passage AS passageId, start, "end", text FROM sentences WHERE document = ? ORDER BY passage, start')
    .all(documentId) as ArticleAnnotations['sentences'];
  const mentions = db
    .prepare(
      `SELECT id, passage AS passageId, sentence AS sentenceId, start, "end", text, type, key, score
       FROM mentions WHERE document = ? ORDER BY passage, start, "end", id`,
    )
    .all(documentId) as ArticleAnnotations['mentions'];
  const relations = (
    db
      .prepare(
        `SELECT id, type, sentence, score, subject_id, subject_key, subject_type, subject_text,
           object_id, object_key, object_type, object_text FROM relations WHERE document = ? ORDER BY score DESC, id`,
      )
      .all(documentId) as RelationRow[]
  ).map((r) => ({
    id: r.id,
    type: r.type,
    sentenceId: r.sentence,
    score: r.score,
    subject: { mentionId: r.subject_id, key: r.subject_key, type: r.subject_type, text: r.subject_text },
    object: { mentionId: r.object_id, key: r.object_key, type: r.object_type, text: r.object_text },
  }));
  return { sentences, mentions, relations };
}

export function sqliteEntity(db: Database.Database, key: string): EntitySummary | null {
  const k = normKey(key);
  const total = db
    .prepare('SELECT min(type) AS type, count(*) AS mentions, count(DISTINCT document) AS documents FROM mentions WHERE key = ?')
    .get(k) as { type: string | null; mentions: number; documents: number };
  if (!total.mentions || !total.type) return null;
  const names = db
    .prepare('SELECT text, count(*) AS mentions FROM mentions WHERE key = ? GROUP BY text ORDER BY mentions DESC, text LIMIT 20')
    .all(k) as { text: string; mentions: number }[];
  const years = db
    .prepare(
      `SELECT substr(a.published_date, 1, 4) AS year, count(DISTINCT a.id) AS documents
       FROM mentions m JOIN articles a ON a.id = m.document
       WHERE m.key = ? AND a.published_date IS NOT NULL GROUP BY year ORDER BY year`,
    )
    .all(k) as { year: string; documents: number }[];
  return {
    key: k,
    type: total.type,
    text: names[0]?.text ?? '',
    names,
    documents: total.documents,
    mentions: total.mentions,
    years,
  };
}

export function sqliteSuggestEntities(db: Database.Database, query: EntitySuggestQuery): EntitySuggestion[] {
  const prefix = normText(query.prefix);
  if (!prefix) return [];
  const limit = clamp(query.limit, 10);
  // A range over the text index rather than LIKE: no wildcard in the prefix can widen it.
  const clauses = ['text_norm >= ? AND text_norm < ?'];
  const params: (string | number)[] = [prefix, prefixUpperBound(prefix)];
  if (query.type) {
    clauses.push('type = ?');
    params.push(query.type);
  }
  const where = clauses.join(' AND ');
  const rows = db
    .prepare(
      `SELECT key, min(type) AS type, count(DISTINCT document) AS documents, count(*) AS mentions FROM mentions
       WHERE ${where} GROUP BY key ORDER BY documents DESC, mentions DESC, key LIMIT ?`,
    )
    .all(...params, limit) as Omit<FacetBucket, 'text'>[];
  const text = db.prepare(
    `SELECT text, count(*) AS n FROM mentions WHERE key = ? AND ${where} GROUP BY text ORDER BY n DESC, text LIMIT 1`,
  );
  return rows.map((r) => ({ ...r, text: (text.get(r.key, ...params) as { text: string }).text }));
}

export function sqliteCoMentioned(db: Database.Database, query: CoMentionQuery): FacetBucket[] {
  const k = normKey(query.key);
  const limit = clamp(query.limit, 10);
  const clauses = ['m.document IN (SELECT x.document FROM mentions x WHERE x.key = ?)', 'm.key <> ?'];
  const params: (string | number)[] = [k, k];
  if (query.type) {
    clauses.push('m.type = ?');
    params.push(query.type);
  }
  const where = clauses.join(' AND ');
  const rows = db
    .prepare(
      `SELECT m.key, min(m.type) AS type, count(DISTINCT m.document) AS documents, count(*) AS mentions FROM mentions m
       WHERE ${where} GROUP BY m.key ORDER BY documents DESC, mentions DESC, m.key LIMIT ?`,
    )
    .all(...params, limit) as Omit<FacetBucket, 'text'>[];
  const text = db.prepare(
    `SELECT m.text, count(*) AS n FROM mentions m WHERE m.key = ? AND ${where} GROUP BY m.text ORDER BY n DESC, m.text LIMIT 1`,
  );
  return rows.map((r) => ({ ...r, text: (text.get(r.key, ...params) as { text: string }).text }));
}

function clamp(n: number | undefined, fallback: number): number {
  return Math.min(Math.max(1, Math.floor(n ?? fallback)), 1000);
}

interface RelationRow {
  id: string;
  type: string;
  sentence: string;
  score: number;
  subject_id: string;
  subject_key: string;
  subject_type: string;
  subject_text: string;
  object_id: string;
  object_key: string;
  object_type: string;
  object_text: string;
}
