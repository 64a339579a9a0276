/**
 * The embedded search store: SQLite with FTS5 (BM25) through better-sqlite3, the default sink of
 * the index stage on one machine. Articles, sentences, mentions, relations and deletes are plain
 * tables; two FTS5 tables index article text and sentences. Same answers as Elasticsearch.
 *
 *   const store = new SqliteStore({ path: 'data/store.db' }); await store.init();
 */
import Database from 'better-sqlite3';
import { diskFullError, isDiskFull } from '../disk-full.js';
import { LitmineError } from '../errors.js';
import type { Annotation, Article } from '../records/types.js';
import type { ArticleAnnotations, CoMentionQuery, EntitySuggestQuery, EntitySuggestion, EntitySummary } from './entity-reads.js';
import { matchesNothing, questionTerms, searchPhrases } from './query-terms.js';
import { sqliteArticleAnnotations, sqliteCoMentioned, sqliteEntity, sqliteSuggestEntities } from './sqlite-entity-queries.js';
import type {
  ApplyResult,
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
  SearchStore,
  StoreCounts,
  StoreOp,
} from './store.js';
import { articleTexts, dateBound, journalKeys, journalName, normKey, normText, pmidOf, publishedDate } from './store-fields.js';
import { type DocState, decideAnnotation, decideArticle, decideDelete, invalidReason } from './version-rules.js';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS articles (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, source TEXT NOT NULL,
  full_text INTEGER NOT NULL, pmid TEXT, pmcid TEXT, title TEXT NOT NULL, journal TEXT, journal_keys TEXT NOT NULL,
  published TEXT, published_date TEXT, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_date);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, abstract, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS sentences (
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, document TEXT NOT NULL, version INTEGER NOT NULL,
  passage TEXT NOT NULL, section TEXT, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sentences_document ON sentences(document);
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS mentions (
  id TEXT PRIMARY KEY, document TEXT NOT NULL, version INTEGER NOT NULL, sentence TEXT NOT NULL, passage TEXT NOT NULL,
  type TEXT NOT NULL, key TEXT NOT NULL, text TEXT NOT NULL, text_norm TEXT NOT NULL, start INTEGER NOT NULL,
  "end" INTEGER NOT NULL, score REAL NOT NULL, model_version TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mentions_document ON mentions(document);
CREATE INDEX IF NOT EXISTS mentions_sentence ON mentions(sentence);
CREATE INDEX IF NOT EXISTS mentions_key ON mentions(key);
CREATE INDEX IF NOT EXISTS mentions_text ON mentions(text_norm);
CREATE INDEX IF NOT EXISTS mentions_type ON mentions(type, key);
CREATE TABLE IF NOT EXISTS relations (
  id TEXT PRIMARY KEY, type TEXT NOT NULL, document TEXT NOT NULL, version INTEGER NOT NULL, sentence TEXT NOT NULL,
  subject_id TEXT NOT NULL, subject_key TEXT NOT NULL, subject_type TEXT NOT NULL, subject_text TEXT NOT NULL, subject_norm TEXT NOT NULL,
  object_id TEXT NOT NULL, object_key TEXT NOT NULL, object_type TEXT NOT NULL, object_text TEXT NOT NULL, object_norm TEXT NOT NULL,
  group_key TEXT NOT NULL, score REAL NOT NULL, model_version TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS relations_document ON relations(document);
CREATE INDEX IF NOT EXISTS relations_subject ON relations(subject_key);
CREATE INDEX IF NOT EXISTS relations_object ON relations(object_key);
CREATE INDEX IF NOT EXISTS relations_group ON relations(group_key);
CREATE TABLE IF NOT EXISTS deletes (document TEXT PRIMARY KEY, version INTEGER, deleted_at TEXT NOT NULL);
`;

type Params = (string | number)[];
interface Clause {
  sql: string;
  params: Params;
}

export class SqliteStore implements SearchStore {
  readonly kind = 'embedded' as const;
  readonly #db: Database.Database;
  readonly #path: string;

  constructor(options: SqliteStoreOptions) {
    this.#path = options.path;
    try {
      this.#db = new Database(options.path);
    } catch (err) {
      throw new LitmineError('LITMINE_STORE_UNAVAILABLE', `cannot open ${options.path}`, { cause: err, retriable: false });
    }
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
  }

  async init(): Promise<void> {
    try {
      this.#db.exec(SCHEMA);
    } catch (err) {
      if (isDiskFull(err)) throw diskFullError(this.#path, 'embedded store init failed', err);
      throw err;
    }
  }

  async apply(ops: StoreOp[]): Promise<ApplyResult> {
    const result: ApplyResult = { applied: 0, rejected: [], ignored: 0 };
    // One transaction per batch (durable together); each op in its own savepoint so that one bad
    // document is rejected without undoing the others.
    const applyOne = this.#db.transaction((op: StoreOp) => this.#applyOp(op));
    const applyAll = this.#db.transaction(() => {
      for (const op of ops) {
        const reason = invalidReason(op as never);
        if (reason) {
          result.rejected.push({ op, reason });
          continue;
        }
        try {
          if (applyOne(op) === 'ignored') result.ignored = (result.ignored ?? 0) + 1;
          result.applied++;
        } catch (err) {
          // A full disk is no fault of the document: it fails the whole batch, which is not committed.
          if (isDiskFull(err)) throw err;
          result.rejected.push({ op, reason: err instanceof Error ? err.message : String(err) });
        }
      }
    });
    try {
      applyAll();
    } catch (err) {
      if (isDiskFull(err)) throw diskFullError(this.#path, 'embedded store write failed', err);
      throw err;
    }
    return result;
  }

  #applyOp(op: StoreOp): 'applied' | 'ignored' {
    switch (op.op) {
      case 'upsertArticle':
        return this.#upsertArticle(op.article);
      case 'upsertAnnotation':
        return this.#upsertAnnotation(op.annotation);
      case 'deleteArticle':
        return this.#deleteArticle(op.documentId, op.version);
    }
  }

  #state(documentId: string): { state: DocState; stored: Article | null } {
    const row = this.#db.prepare('SELECT json FROM articles WHERE id = ?').get(documentId) as { json: string } | undefined;
    const stored = row ? (JSON.parse(row.json) as Article) : null;
    const del = this.#db.prepare('SELECT version FROM deletes WHERE document = ?').get(documentId) as
      | { version: number | null }
      | undefined;
    const ann = this.#db.prepare('SELECT max(version) AS v FROM sentences WHERE document = ?').get(documentId) as {
      v: number | null;
    };
    const annM = this.#db.prepare('SELECT max(version) AS v FROM mentions WHERE document = ?').get(documentId) as {
      v: number | null;
    };
    return {
      stored,
      state: { article: stored, deleted: del ?? null, annotationVersion: ann.v ?? annM.v },
    };
  }

  #upsertArticle(incoming: Article): 'applied' | 'ignored' {
    const { state, stored } = this.#state(incoming.id);
    const decision = decideArticle(state, incoming, stored);
    if (decision.kind === 'ignore') return 'ignored';
    const article = decision.article;
    if (decision.clearsDelete) this.#db.prepare('DELETE FROM deletes WHERE document = ?').run(article.id);
    if (decision.dropAnnotations === 'older') this.#dropAnnotations(article.id, 'version < ?', [article.version]);
    if (decision.dropAnnotations === 'other') this.#dropAnnotations(article.id, 'version <> ?', [article.version]);
    this.#db
      .prepare(
        `INSERT INTO articles (id, version, source, full_text, pmid, pmcid, title, journal, journal_keys, published, published_date, json)
         VALUES (@id, @version, @source, @fullText, @pmid, @pmcid, @title, @journal, @journalKeys, @published, @publishedDate, @json)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, source = excluded.source, full_text = excluded.full_text,
           pmid = excluded.pmid, pmcid = excluded.pmcid, title = excluded.title, journal = excluded.journal,
           journal_keys = excluded.journal_keys, published = excluded.published, published_date = excluded.published_date,
           json = excluded.json`,
      )
      .run({
        id: article.id,
        version: article.version,
        source: article.source,
        fullText: article.fullText ? 1 : 0,
        pmid: article.pmid ?? null,
        pmcid: article.pmcid ?? null,
        title: article.title,
        journal: journalName(article) ?? null,
        journalKeys: JSON.stringify(journalKeys(article)),
        published: article.dates?.published ?? null,
        publishedDate: publishedDate(article.dates ?? {}) ?? null,
        json: JSON.stringify(article),
      });
    const { rid } = this.#db.prepare('SELECT rid FROM articles WHERE id = ?').get(article.id) as { rid: number };
    const texts = articleTexts(article);
    this.#db.prepare('DELETE FROM articles_fts WHERE rowid = ?').run(rid);
    this.#db
      .prepare('INSERT INTO articles_fts (rowid, title, abstract, body) VALUES (?, ?, ?, ?)')
      .run(rid, texts.title, texts.abstract, texts.body);
    // Sections of sentences stored before their article arrived.
    const sections = new Map(article.passages.map((p) => [p.id, p.section ?? null]));
    const update = this.#db.prepare('UPDATE sentences SET section = ? WHERE document = ? AND passage = ?');
    for (const [passage, section] of sections) if (section) update.run(section, article.id, passage);
    return 'applied';
  }

  #upsertAnnotation(annotation: Annotation): 'applied' | 'ignored' {
    const { state, stored } = this.#state(annotation.documentId);
    const decision = decideAnnotation(state, annotation);
    if (decision.kind === 'ignore') return 'ignored';
    const doc = annotation.documentId;
    const version = annotation.documentVersion;
    // An annotation is the whole annotation of its document: it replaces whatever was stored.
    this.#dropAnnotations(doc, '1 = 1', []);
    const sections = new Map((stored?.passages ?? []).map((p) => [p.id, p.section ?? null]));
    const insertSentence = this.#db.prepare(
      'INSERT INTO sentences (id, document, version, passage, section, start, "end", text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertSentenceFts = this.#db.prepare('INSERT INTO sentences_fts (rowid, text) VALUES (?, ?)');
    const seen = new Set<string>();
    for (const s of annotation.sentences) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      const info = insertSentence.run(s.id, doc, version, s.passageId, sections.get(s.passageId) ?? null, s.start, s.end, s.text);
      insertSentenceFts.run(info.lastInsertRowid, s.text);
    }
    const insertMention = this.#db.prepare(
      `INSERT OR REPLACE INTO mentions (id, document, version, sentence, passage, type, key, text, text_norm, start, "end", score, model_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const mentions = new Map(annotation.mentions.map((m) => [m.id, m]));
    for (const m of annotation.mentions) {
      insertMention.run(
        m.id,
        doc,
        version,
        m.sentenceId,
        m.passageId,
        m.type,
        normKey(m.key),
        m.text,
        normText(m.text),
        m.start,
        m.end,
        m.score,
        annotation.modelVersion,
      );
    }
    const insertRelation = this.#db.prepare(
      `INSERT OR REPLACE INTO relations (id, type, document, version, sentence, subject_id, subject_key, subject_type, subject_text,
         subject_norm, object_id, object_key, object_type, object_text, object_norm, group_key, score, model_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of annotation.relations) {
      const s = mentions.get(r.subjectId)!;
      const o = mentions.get(r.objectId)!;
      const sk = normKey(s.key);
      const ok = normKey(o.key);
      insertRelation.run(
        r.id,
        r.type,
        doc,
        version,
        r.sentenceId,
        s.id,
        sk,
        s.type,
        s.text,
        normText(s.text),
        o.id,
        ok,
        o.type,
        o.text,
        normText(o.text),
        `${sk}|${r.type}|${ok}`,
        r.score,
        annotation.modelVersion,
      );
    }
    return 'applied';
  }

  #deleteArticle(documentId: string, version: number | undefined): 'applied' | 'ignored' {
    const { state } = this.#state(documentId);
    const decision = decideDelete(state, version);
    if (decision.kind === 'ignore') return 'ignored';
    const rid = this.#db.prepare('SELECT rid FROM articles WHERE id = ?').get(documentId) as { rid: number } | undefined;
    if (rid) {
      this.#db.prepare('DELETE FROM articles_fts WHERE rowid = ?').run(rid.rid);
      this.#db.prepare('DELETE FROM articles WHERE rid = ?').run(rid.rid);
    }
    this.#dropAnnotations(documentId, '1 = 1', []);
    // The recorded version comes from decideDelete (it already widens a previous delete).
    this.#db
      .prepare(
        `INSERT INTO deletes (document, version, deleted_at) VALUES (?, ?, ?)
         ON CONFLICT(document) DO UPDATE SET version = excluded.version, deleted_at = excluded.deleted_at`,
      )
      .run(documentId, decision.deleted.version, new Date().toISOString());
    return 'applied';
  }

  #dropAnnotations(documentId: string, versionCondition: string, params: Params): void {
    const where = `document = ? AND ${versionCondition}`;
    this.#db.prepare(`DELETE FROM sentences_fts WHERE rowid IN (SELECT rid FROM sentences WHERE ${where})`).run(documentId, ...params);
    for (const table of ['sentences', 'mentions', 'relations']) {
      this.#db.prepare(`DELETE FROM ${table} WHERE ${where}`).run(documentId, ...params);
    }
  }

  async getArticle(documentId: string): Promise<Article | null> {
    const row = this.#db.prepare('SELECT json FROM articles WHERE id = ?').get(documentId) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Article) : null;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const limit = clampLimit(query.limit, 10);
    const offset = Math.max(0, query.offset ?? 0);
    if (matchesNothing(query.text)) return { total: 0, hits: [] };
    const match = ftsAll(searchPhrases(query.text ?? ''));
    const filters = this.#filters(query.filters ?? {}, 'a');
    const section = query.filters?.section;
    if ((query.target ?? 'articles') === 'sentences')
      return this.#searchSentences(match, filters, limit, offset, section ? sectionClause(section, 's') : undefined);
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
      const total = (this.#db.prepare(`SELECT count(*) AS n FROM articles a ${where}`).get(...params) as { n: number }).n;
      const rows = this.#db
        .prepare(`SELECT ${HIT_COLUMNS} FROM articles a ${where} ORDER BY a.published_date DESC, a.id LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as ArticleRow[];
      return { total, hits: rows.map((r) => articleHit(r, 0, [])) };
    }
    const where = ['articles_fts MATCH ?', ...filters.map((f) => f.sql)].join(' AND ');
    const params = [match, ...filters.flatMap((f) => f.params)];
    const from = 'FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid';
    const total = (this.#db.prepare(`SELECT count(*) AS n ${from} WHERE ${where}`).get(...params) as { n: number }).n;
    // Rank first, then highlight only the page of hits: in one query SQLite would build the
    // snippets (and carry the rows) of every match through the sort.
    const rows = this.#db
      .prepare(
        `SELECT ${HIT_COLUMNS}, -bm25(articles_fts, 3.0, 2.0, 1.0) AS score ${from} WHERE ${where} ORDER BY score DESC, a.id LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset) as (ArticleRow & { rid: number; score: number })[];
    const marks = new Map(
      (rows.length
        ? (this.#db
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

  #searchSentences(match: string | null, articleFilters: Clause[], limit: number, offset: number, section?: Clause): SearchResult {
    // Article-level filters need the article; without filters a sentence whose article has not
    // arrived yet is still found (LEFT JOIN), as in Elasticsearch.
    const join = articleFilters.length ? 'JOIN' : 'LEFT JOIN';
    const clauses = [
      ...(match ? [{ sql: 'sentences_fts MATCH ?', params: [match] }] : []),
      ...articleFilters,
      ...(section ? [section] : []),
    ];
    const where = clauses.length ? `WHERE ${clauses.map((c) => c.sql).join(' AND ')}` : '';
    const params = clauses.flatMap((c) => c.params);
    const from = `FROM sentences_fts JOIN sentences s ON s.rid = sentences_fts.rowid ${join} articles a ON a.id = s.document`;
    const total = (this.#db.prepare(`SELECT count(*) AS n ${from} ${where}`).get(...params) as { n: number }).n;
    const score = match ? '-bm25(sentences_fts)' : '0';
    // Rank first, highlight only the page of hits (as for articles).
    const rows = this.#db
      .prepare(
        `SELECT s.rid AS s_rid, s.id AS s_id, s.document AS s_document, s.passage, s.start, s."end", s.text AS s_text,
           a.pmid, a.pmcid, a.title, a.journal, a.published, ${score} AS score
         ${from} ${where} ORDER BY score DESC, s.id LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset) as (SentenceRow & { s_rid: number })[];
    const marks = new Map(
      match && rows.length
        ? (
            this.#db
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
  #filters(filters: SearchFilters, a: string): Clause[] {
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

  async relations(query: RelationQuery): Promise<RelationResult> {
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
    const total = (this.#db.prepare(`SELECT count(DISTINCT r.group_key) AS n FROM relations r ${where}`).get(...params) as { n: number }).n;
    const groups = this.#db
      .prepare(
        `SELECT r.group_key, r.type, r.subject_key, r.subject_type, r.object_key, r.object_type,
           count(*) AS count, count(DISTINCT r.document) AS documents, max(r.score) AS max_score
         FROM relations r ${where}
         GROUP BY r.group_key ORDER BY documents DESC, count DESC, max_score DESC, r.group_key LIMIT ?`,
      )
      .all(...params, limit) as GroupRow[];
    const evidence = this.#db.prepare(
      `SELECT r.id, r.document, r.sentence, r.score, s.text FROM relations r LEFT JOIN sentences s ON s.id = r.sentence
       WHERE r.group_key = ? ${clauses.length ? `AND ${clauses.map((c) => c.sql).join(' AND ')}` : ''}
       ORDER BY r.score DESC, r.id LIMIT ?`,
    );
    const commonText = (side: 'subject' | 'object') =>
      this.#db.prepare(
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

  async facets(query: FacetQuery): Promise<FacetBucket[]> {
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
    const rows = this.#db
      .prepare(
        `SELECT m.key, m.type, count(DISTINCT m.document) AS documents, count(*) AS mentions FROM mentions m WHERE ${where}
         GROUP BY m.key, m.type ORDER BY documents DESC, mentions DESC, m.key LIMIT ?`,
      )
      .all(...params, limit) as { key: string; type: string; documents: number; mentions: number }[];
    const text = this.#db.prepare(
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

  async ask(query: AskQuery): Promise<AskAnswer> {
    const limit = clampLimit(query.limit, 5);
    const terms = questionTerms(query.question ?? '');
    const entities = (query.entities ?? []).map((e) => normText(e.text)).filter(Boolean);
    if (!terms.length) return { sentences: [] };
    // BM25 over sentences for any of the question's words, then a boost per question entity the
    // sentence mentions; candidates are the BM25 top few hundred.
    const rows = this.#db
      .prepare(
        `SELECT s.id, s.document, s.text, -bm25(sentences_fts) AS bm25
         FROM sentences_fts JOIN sentences s ON s.rid = sentences_fts.rowid
         WHERE sentences_fts MATCH ? ORDER BY bm25 DESC, s.id LIMIT 200`,
      )
      .all(ftsAny(terms)) as { id: string; document: string; text: string; bm25: number }[];
    const mentionsOf = this.#db.prepare('SELECT DISTINCT text_norm FROM mentions WHERE sentence = ?');
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

  async articleAnnotations(documentId: string): Promise<ArticleAnnotations> {
    return sqliteArticleAnnotations(this.#db, documentId);
  }

  async entity(key: string): Promise<EntitySummary | null> {
    return sqliteEntity(this.#db, key);
  }

  async suggestEntities(query: EntitySuggestQuery): Promise<EntitySuggestion[]> {
    return sqliteSuggestEntities(this.#db, query);
  }

  async coMentioned(query: CoMentionQuery): Promise<FacetBucket[]> {
    return sqliteCoMentioned(this.#db, query);
  }

  async counts(): Promise<StoreCounts> {
    const n = (table: string) => (this.#db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { articles: n('articles'), sentences: n('sentences'), mentions: n('mentions'), relations: n('relations') };
  }

  async refresh(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
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
