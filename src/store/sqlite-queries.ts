/**
 * Queries of the embedded search store over its SQLite tables: full-text search of articles or
 * sentences (FTS5, bm25) with the date/journal/entity/section filters, relations grouped with
 * evidence, entity facets, and sentence answers to a question. Used by sqlite-store.ts.
 */
import type Database from 'better-sqlite3';
import { matchesNothing, questionTerms, searchPhrases } from './query-terms.js';
import type {
  AskAnswer,
  AskQuery,
  EntityRef,
  FacetBucket,
  FacetQuery,
  RelationGroup,
  RelationQuery,
  RelationResult,
  SearchFilters,
  SearchHit,
  SearchQuery,
  SearchResult,
} from './store.js';
import { dateBound, normKey, normText, pmidOf } from './store-fields.js';

export type Params = (string | number)[];
export interface Clause {
  sql: string;
  params: Params;
}

export function sqliteSearch(db: Database.Database, query: SearchQuery): SearchResult {
  const limit = clampLimit(query.limit, 10);
  const offset = Math.max(0, query.offset ?? 0);
  if (matchesNothing(query.text)) return { total: 0, hits: [] };
  const match = ftsAll(searchPhrases(query.text ?? ''));
  const filters = articleFilters(query.filters ?? {}, 'a');
  const section = query.filters?.section;
  if ((query.target ?? 'articles') === 'sentences')
    return searchSentences(db, match, filters, limit, offset, section ? sectionClause(section, 's') : undefined);
  if (section) {
    // Articles with a sentence of the section that matches the text on its own.
    const inSection = sectionClause(section, 's2');
    filters.push(
      match
        ? {
            sql: `EXISTS (SELECT 1 FROM sentences_fts JOIN sentences s2 ON s2.rid = sentences_fts.rowid WHERE sentences_fts MATCH ? AND s2.document = a.id AND ${inSection.sql})`,
            params: [match, ...inSection.params],
          }
        : { sql: `EXISTS (SELECT 1 FROM sentences s2 WHERE s2.document = a.id AND ${inSection.sql})`, params: inSection.params },
    );
  }

  if (!match) {
    // Filters only: newest first.
    const where = filters.length ? `WHERE ${filters.map((f) => f.sql).join(' AND ')}` : '';
    const params = filters.flatMap((f) => f.params);
    const total = (db.prepare(`SELECT count(*) AS n FROM articles a ${where}`).get(...params) as { n: number }).n;
    const rows = db
      .prepare(`SELECT ${HIT_COLUMNS} FROM articles a ${where} ORDER BY a.published_date DESC, a.id LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as ArticleRow[];
    return { total, hits: rows.map((r) => articleHit(r, 0, [])) };
  }
  const where = ['articles_fts MATCH ?', ...filters.map((f) => f.sql)].join(' AND ');
  const params = [match, ...filters.flatMap((f) => f.params)];
  const from = 'FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid';
  const total = (db.prepare(`SELECT count(*) AS n ${from} WHERE ${where}`).get(...params) as { n: number }).n;
  // Rank first, then highlight only the page of hits: in one query SQLite would build the
  // snippets (and carry the rows) of every match through the sort.
  const rows = db
    .prepare(
      `SELECT ${HIT_COLUMNS}, -bm25(articles_fts, 3.0, 2.0, 1.0) AS score ${from} WHERE ${where} ORDER BY score DESC, a.id LIMIT ? OFFSET ?`,
    )
    .all(...params, limit, offset) as (ArticleRow & { rid: number; score: number })[];
  const marks = new Map(
    (rows.length
      ? (db
          .prepare(
            `SELECT rowid, highlight(articles_fts, 0, '«', '»') AS h_title,
               snippet(articles_fts, 1, '«', '»', '…', 32) AS h_abstract,
               snippet(articles_fts, 2, '«', '»', '…', 32) AS h_body
             FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN (${rows.map(() => '?').join(', ')})`,
          )
          .all(match, ...rows.map((r) => r.rid)) as { rowid: number; h_title: string; h_abstract: string; h_body: string }[])
      : []
    ).map((m) => [m.rowid, [m.h_title, m.h_abstract, m.h_body].filter((h) => h?.includes('«'))]),
  );
  return { total, hits: rows.map((r) => articleHit(r, r.score, marks.get(r.rid) ?? [])) };
}

function searchSentences(
  db: Database.Database,
  match: string | null,
  articleFilters: Clause[],
  limit: number,
  offset: number,
  section?: Clause,
): SearchResult {
  // Article-level filters need the article; without filters a sentence whose article has not
  // arrived yet is still found (LEFT JOIN), as in Elasticsearch.
  const join = articleFilters.length ? 'JOIN' : 'LEFT JOIN';
  const clauses = [...(match ? [{ sql: 'sentences_fts MATCH ?', params: [match] }] : []), ...articleFilters, ...(section ? [section] : [])];
  const where = clauses.length ? `WHERE ${clauses.map((c) => c.sql).join(' AND ')}` : '';
  const params = clauses.flatMap((c) => c.params);
  const from = `FROM sentences_fts JOIN sentences s ON s.rid = sentences_fts.rowid ${join} articles a ON a.id = s.document`;
  const total = (db.prepare(`SELECT count(*) AS n ${from} ${where}`).get(...params) as { n: number }).n;
  const score = match ? '-bm25(sentences_fts)' : '0';
  // Rank first, highlight only the page of hits (as for articles).
  const rows = db
    .prepare(
      `SELECT s.rid AS s_rid, s.id AS s_id, s.document AS s_document, s.passage, s.start, s."end", s.text AS s_text,
         a.pmid, a.pmcid, a.title, a.journal, a.published, ${score} AS score
       ${from} ${where} ORDER BY score DESC, s.id LIMIT ? OFFSET ?`,
    )
    .all(...params, limit, offset) as (SentenceRow & { s_rid: number })[];
  const marks = new Map(
    match && rows.length
      ? (
          db
            .prepare(
              `SELECT rowid, highlight(sentences_fts, 0, '«', '»') AS h FROM sentences_fts
               WHERE sentences_fts MATCH ? AND rowid IN (${rows.map(() => '?').join(', ')})`,
            )
            .all(match, ...rows.map((r) => r.s_rid)) as { rowid: number; h: string }[]
        ).map((m) => [m.rowid, m.h])
      : [],
  );
  return {
    total,
    hits: rows.map((r) => ({
      documentId: r.s_document,
      ...(r.pmid ? { pmid: r.pmid } : pmidOf(r.s_document) ? { pmid: pmidOf(r.s_document) } : {}),
      ...(r.pmcid ? { pmcid: r.pmcid } : {}),
      title: r.title ?? '',
      ...(r.journal ? { journal: r.journal } : {}),
      ...(r.published ? { published: r.published } : {}),
      score: r.score,
      highlights: marks.get(r.s_rid)?.includes('«') ? [marks.get(r.s_rid)!] : [],
      sentence: { id: r.s_id, passageId: r.passage, text: r.s_text, start: r.start, end: r.end },
    })),
  };
}

/** SQL conditions over the article alias `a` for the search filters. */
function articleFilters(filters: SearchFilters, a: string): Clause[] {
  const out: Clause[] = [];
  if (filters.dateFrom) out.push({ sql: `${a}.published_date >= ?`, params: [dateBound(filters.dateFrom, 'lower')] });
  if (filters.dateTo) out.push({ sql: `${a}.published_date <= ?`, params: [dateBound(filters.dateTo, 'upper')] });
  if (filters.journal) {
    out.push({
      sql: `EXISTS (SELECT 1 FROM json_each(${a}.journal_keys) j WHERE j.value = ?)`,
      params: [normText(filters.journal)],
    });
  }
  if (filters.entityType) {
    out.push({ sql: `EXISTS (SELECT 1 FROM mentions m WHERE m.document = ${a}.id AND m.type = ?)`, params: [filters.entityType] });
  }
  if (filters.entity) {
    out.push({
      sql: `EXISTS (SELECT 1 FROM mentions m WHERE m.document = ${a}.id AND (m.key = ? OR m.text_norm = ?))`,
      params: [normKey(filters.entity), normText(filters.entity)],
    });
  }
  return out;
}

export function sqliteRelations(db: Database.Database, query: RelationQuery): RelationResult {
  const limit = clampLimit(query.limit, 20);
  const perGroup = clampLimit(query.evidencePerRelation, 3);
  const clauses: Clause[] = [];
  if (query.type) clauses.push({ sql: 'r.type = ?', params: [query.type] });
  if (query.subject) clauses.push(entityClause(query.subject, 'r.subject'));
  if (query.object) clauses.push(entityClause(query.object, 'r.object'));
  if (query.entity) {
    const s = entityClause(query.entity, 'r.subject');
    const o = entityClause(query.entity, 'r.object');
    clauses.push({ sql: `((${s.sql}) OR (${o.sql}))`, params: [...s.params, ...o.params] });
  }
  const where = clauses.length ? `WHERE ${clauses.map((c) => c.sql).join(' AND ')}` : '';
  const params = clauses.flatMap((c) => c.params);
  const total = (db.prepare(`SELECT count(DISTINCT r.group_key) AS n FROM relations r ${where}`).get(...params) as { n: number }).n;
  const groups = db
    .prepare(
      `SELECT r.group_key, r.type, r.subject_key, r.subject_type, r.object_key, r.object_type,
         count(*) AS count, count(DISTINCT r.document) AS documents, max(r.score) AS max_score
       FROM relations r ${where}
       GROUP BY r.group_key ORDER BY documents DESC, count DESC, max_score DESC, r.group_key LIMIT ?`,
    )
    .all(...params, limit) as GroupRow[];
  const evidence = db.prepare(
    `SELECT r.id, r.document, r.sentence, r.score, s.text FROM relations r LEFT JOIN sentences s ON s.id = r.sentence
     WHERE r.group_key = ? ${clauses.length ? `AND ${clauses.map((c) => c.sql).join(' AND ')}` : ''}
     ORDER BY r.score DESC, r.id LIMIT ?`,
  );
  const commonText = (side: 'subject' | 'object') =>
    db.prepare(
      `SELECT r.${side}_text AS text, count(*) AS n FROM relations r WHERE r.group_key = ?
       ${clauses.length ? `AND ${clauses.map((c) => c.sql).join(' AND ')}` : ''}
       GROUP BY r.${side}_text ORDER BY n DESC, r.${side}_text LIMIT 1`,
    );
  const subjectText = commonText('subject');
  const objectText = commonText('object');
  const relations: RelationGroup[] = groups.map((g) => ({
    type: g.type,
    subject: { key: g.subject_key, type: g.subject_type, text: (subjectText.get(g.group_key, ...params) as { text: string }).text },
    object: { key: g.object_key, type: g.object_type, text: (objectText.get(g.group_key, ...params) as { text: string }).text },
    count: g.count,
    documents: g.documents,
    maxScore: g.max_score,
    evidence: (evidence.all(g.group_key, ...params, perGroup) as EvidenceRow[]).map((e) => ({
      relationId: e.id,
      documentId: e.document,
      ...(pmidOf(e.document) ? { pmid: pmidOf(e.document) } : {}),
      sentenceId: e.sentence,
      sentence: e.text ?? '',
      score: e.score,
    })),
  }));
  return { total, relations };
}

export function sqliteFacets(db: Database.Database, query: FacetQuery): FacetBucket[] {
  const limit = clampLimit(query.limit, 10);
  const clauses: Clause[] = [{ sql: 'm.type = ?', params: [query.type] }];
  if (query.entity) {
    const e = entityClause(query.entity, 'x', true);
    clauses.push({ sql: `m.document IN (SELECT x.document FROM mentions x WHERE ${e.sql})`, params: e.params });
    // The entity itself is not its own facet.
    const self = entityClause(query.entity, 'm', true);
    clauses.push({ sql: `NOT (${self.sql})`, params: self.params });
  }
  const match = query.text ? ftsAll(searchPhrases(query.text)) : null;
  if (query.text && !match) return [];
  if (match) {
    clauses.push({
      sql: 'm.document IN (SELECT a.id FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid WHERE articles_fts MATCH ?)',
      params: [match],
    });
  }
  const where = clauses.map((c) => c.sql).join(' AND ');
  const params = clauses.flatMap((c) => c.params);
  const rows = db
    .prepare(
      `SELECT m.key, m.type, count(DISTINCT m.document) AS documents, count(*) AS mentions FROM mentions m WHERE ${where}
       GROUP BY m.key, m.type ORDER BY documents DESC, mentions DESC, m.key LIMIT ?`,
    )
    .all(...params, limit) as { key: string; type: string; documents: number; mentions: number }[];
  const text = db.prepare(
    `SELECT m.text, count(*) AS n FROM mentions m WHERE m.key = ? AND ${where} GROUP BY m.text ORDER BY n DESC, m.text LIMIT 1`,
  );
  return rows.map((r) => ({
    key: r.key,
    type: r.type,
    text: (text.get(r.key, ...params) as { text: string }).text,
    documents: r.documents,
    mentions: r.mentions,
  }));
}

export function sqliteAsk(db: Database.Database, query: AskQuery): AskAnswer {
  const limit = clampLimit(query.limit, 5);
  const terms = questionTerms(query.question ?? '');
  const entities = (query.entities ?? []).map((e) => normText(e.text)).filter(Boolean);
  if (!terms.length) return { sentences: [] };
  // BM25 over sentences for any of the question's words, then a boost per question entity the
  // sentence mentions; candidates are the BM25 top few hundred.
  const rows = db
    .prepare(
      `SELECT s.id, s.document, s.text, -bm25(sentences_fts) AS bm25
       FROM sentences_fts JOIN sentences s ON s.rid = sentences_fts.rowid
       WHERE sentences_fts MATCH ? ORDER BY bm25 DESC, s.id LIMIT 200`,
    )
    .all(ftsAny(terms)) as { id: string; document: string; text: string; bm25: number }[];
  const mentionsOf = db.prepare('SELECT DISTINCT text_norm FROM mentions WHERE sentence = ?');
  const scored = rows.map((r) => {
    const texts = new Set((mentionsOf.all(r.id) as { text_norm: string }[]).map((m) => m.text_norm));
    const matched = new Set(entities.filter((e) => texts.has(e))).size;
    return { ...r, score: r.bm25 * (1 + ENTITY_BOOST * matched) };
  });
  scored.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
  return {
    sentences: scored.slice(0, limit).map((r) => ({
      documentId: r.document,
      ...(pmidOf(r.document) ? { pmid: pmidOf(r.document) } : {}),
      sentenceId: r.id,
      text: r.text,
      score: r.score,
    })),
  };
}

/** The article columns a search hit shows (not the stored JSON, which sorts slowly). */
const HIT_COLUMNS = 'a.rid, a.id, a.pmid, a.pmcid, a.title, a.journal, a.published';

/** Score multiplier per question entity a sentence mentions (Elasticsearch uses the same factor). */
export const ENTITY_BOOST = 1;

function clampLimit(n: number | undefined, fallback: number): number {
  return Math.min(Math.max(1, Math.floor(n ?? fallback)), 1000);
}

/** An FTS5 string literal: the tokenizer turns it into a phrase; nothing inside is syntax. */
function ftsString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function ftsAll(phrases: string[]): string | null {
  return phrases.length ? phrases.map(ftsString).join(' AND ') : null;
}

function ftsAny(terms: string[]): string {
  return terms.map(ftsString).join(' OR ');
}

/** Matches an entity ref against `<prefix>_key/_type/_norm` columns (or `key/type/text_norm` of a mention alias). */
function entityClause(ref: EntityRef, prefix: string, mentionAlias = false): Clause {
  const col = (c: 'key' | 'type' | 'norm') => (mentionAlias ? `${prefix}.${c === 'norm' ? 'text_norm' : c}` : `${prefix}_${c}`);
  const parts: Clause[] = [];
  if (ref.key) parts.push({ sql: `${col('key')} = ?`, params: [normKey(ref.key)] });
  if (ref.text) parts.push({ sql: `${col('norm')} = ?`, params: [normText(ref.text)] });
  if (ref.type) parts.push({ sql: `${col('type')} = ?`, params: [ref.type] });
  if (!parts.length) return { sql: '1 = 1', params: [] };
  return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
}

interface ArticleRow {
  id: string;
  pmid: string | null;
  pmcid: string | null;
  title: string;
  journal: string | null;
  published: string | null;
}

interface SentenceRow {
  s_id: string;
  s_document: string;
  passage: string;
  start: number;
  end: number;
  s_text: string;
  pmid: string | null;
  pmcid: string | null;
  title: string | null;
  journal: string | null;
  published: string | null;
  score: number;
}

interface GroupRow {
  group_key: string;
  type: string;
  subject_key: string;
  subject_type: string;
  object_key: string;
  object_type: string;
  count: number;
  documents: number;
  max_score: number;
}

interface EvidenceRow {
  id: string;
  document: string;
  sentence: string;
  score: number;
  text: string | null;
}

function articleHit(r: ArticleRow, score: number, highlights: string[]): SearchHit {
  return {
    documentId: r.id,
    ...(r.pmid ? { pmid: r.pmid } : {}),
    ...(r.pmcid ? { pmcid: r.pmcid } : {}),
    title: r.title,
    ...(r.journal ? { journal: r.journal } : {}),
    ...(r.published ? { published: r.published } : {}),
    score,
    highlights,
  };
}

/** A sentence row's section is `section` or a path under it ("Results" takes "Results > Localization"), case-insensitively. */
function sectionClause(section: string, s: string): Clause {
  const label = section.trim().toLowerCase();
  return {
    sql: `(lower(${s}.section) = ? OR substr(lower(${s}.section), 1, ?) = ?)`,
    params: [label, label.length + 3, `${label} > `],
  };
}
