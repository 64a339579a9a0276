/**
 * The embedded search store: SQLite with FTS5 (BM25) through better-sqlite3, the default sink of
 * the index stage on one machine. Articles, sentences, mentions, relations and deletes are plain
 * tables; two FTS5 tables index article text and sentences. Same answers as Elasticsearch. This
 * module holds the schema and the writes; the queries are in sqlite-queries.ts. Index sets are
 * files beside the store file (sqlite-index-sets.ts): a store opened on the path follows the live
 * set, checking the pointer at the start of every call, so a swap reaches readers and writers that
 * were opened before it (a running `litmine serve`, the index stage); one opened with `indexSet`
 * reads and writes that set only.
 *
 *   const store = new SqliteStore({ path: 'data/store.db' }); await store.init();
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { diskFullError, isDiskFull } from '../disk-full.js';
import { LitmineError } from '../errors.js';
import type { Annotation, Article } from '../records/types.js';
import type { ArticleAnnotations, CoMentionQuery, EntitySuggestQuery, EntitySuggestion, EntitySummary } from './entity-reads.js';
import { type Params, sqliteAsk, sqliteFacets, sqliteRelations, sqliteSearch } from './sqlite-queries.js';
import { sqliteArticleAnnotations, sqliteCoMentioned, sqliteEntity, sqliteSuggestEntities } from './sqlite-entity-queries.js';
import type {
  ApplyResult,
  AskAnswer,
  AskQuery,
  FacetBucket,
  FacetQuery,
  RelationQuery,
  RelationResult,
  SearchQuery,
  SearchResult,
  SearchStore,
  StoreCounts,
  StoreOp,
} from './store.js';
import { indexSetName, liveIndexSet, unknownIndexSet } from './index-set-name.js';
import { FIRST_SET, listSets, readLive, removeSet, setFile, writeLive } from './sqlite-index-sets.js';
import { articleTexts, journalKeys, journalName, normKey, normText, publishedDate } from './store-fields.js';
import { type DocState, decideAnnotation, decideArticle, decideDelete, invalidReason } from './version-rules.js';
import { initialized } from './initialized.js';

export interface SqliteStoreOptions {
  /** Database file (the store's first index set, beside which the others live), or ':memory:'. */
  path: string;
  /** Index set this store reads and writes directly (reprocessing); default: the live one. */
  indexSet?: string;
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

export class SqliteStore implements SearchStore {
  readonly kind = 'embedded' as const;
  /** The store file: index sets and the live pointer are named from it. */
  readonly #root: string;
  /** Fixed to one set: in memory, or opened with `indexSet`; otherwise it follows the live pointer. */
  readonly #pinned: boolean;
  #set: string;
  #path: string;
  #db: Database.Database;

  constructor(options: SqliteStoreOptions) {
    this.#root = options.path;
    const memory = options.path === ':memory:';
    this.#pinned = memory || options.indexSet !== undefined;
    this.#set = memory ? FIRST_SET : options.indexSet !== undefined ? indexSetName(options.indexSet) : readLive(this.#root);
    this.#path = memory ? options.path : setFile(this.#root, this.#set);
    // A live set other than the first was made by createIndexSet; a missing file is an error, not a new empty store.
    this.#db = openDatabase(this.#path, !this.#pinned && this.#set !== FIRST_SET);
  }

  /** How to open this store again in another thread (sqlite-read-threads.ts); null in memory, which no other connection sees. */
  reopenOptions(): SqliteStoreOptions | null {
    if (this.#root === ':memory:') return null;
    return this.#pinned ? { path: this.#root, indexSet: this.#set } : { path: this.#root };
  }

  /** Moves to the live set when a swap has named another (before every call; one small file read). */
  #follow(): void {
    if (this.#pinned) return;
    const live = readLive(this.#root);
    if (live === this.#set) return;
    const path = setFile(this.#root, live);
    const db = openDatabase(path, live !== FIRST_SET);
    // better-sqlite3 is synchronous: no statement of this connection is running while we swap it.
    this.#db.close();
    this.#db = db;
    this.#set = live;
    this.#path = path;
  }

  async init(): Promise<void> {
    this.#follow();
    try {
      this.#db.exec(SCHEMA);
    } catch (err) {
      if (isDiskFull(err)) throw diskFullError(this.#path, 'embedded store init failed', err);
      throw err;
    }
  }

  // ---- Index sets -------------------------------------------------------------------------

  /** Creates (or reopens) the set's file with the schema; `bulkLoad` changes nothing here. */
  async createIndexSet(name: string, _options: { bulkLoad?: boolean } = {}): Promise<SqliteStore> {
    const set = indexSetName(name);
    this.#needsFile(`create index set ${set}`);
    return initialized(new SqliteStore({ path: this.#root, indexSet: set }));
  }

  async listIndexSets(): Promise<string[]> {
    return this.#root === ':memory:' ? [FIRST_SET] : listSets(this.#root);
  }

  async currentIndexSet(): Promise<string | null> {
    return this.#root === ':memory:' ? FIRST_SET : readLive(this.#root);
  }

  async swapTo(name: string): Promise<string | null> {
    const set = indexSetName(name);
    this.#needsFile(`swap to index set ${set}`);
    if (!existsSync(setFile(this.#root, set))) throw unknownIndexSet(set, listSets(this.#root));
    const previous = readLive(this.#root);
    if (previous !== set) writeLive(this.#root, set);
    return previous;
  }

  async dropIndexSet(name: string): Promise<void> {
    const set = indexSetName(name);
    this.#needsFile(`drop index set ${set}`);
    if (!existsSync(setFile(this.#root, set))) throw unknownIndexSet(set, listSets(this.#root));
    if (readLive(this.#root) === set) throw liveIndexSet(set);
    removeSet(this.#root, set);
  }

  #needsFile(what: string): void {
    if (this.#root === ':memory:')
      throw new LitmineError('LITMINE_INDEX_SET', `${what}: index sets need a store file; this store is in memory`);
  }

  // ---- Writing ----------------------------------------------------------------------------

  async apply(ops: StoreOp[]): Promise<ApplyResult> {
    this.#follow();
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
    this.#follow();
    const row = this.#db.prepare('SELECT json FROM articles WHERE id = ?').get(documentId) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Article) : null;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    this.#follow();
    return sqliteSearch(this.#db, query);
  }

  async relations(query: RelationQuery): Promise<RelationResult> {
    this.#follow();
    return sqliteRelations(this.#db, query);
  }

  async facets(query: FacetQuery): Promise<FacetBucket[]> {
    this.#follow();
    return sqliteFacets(this.#db, query);
  }

  async ask(query: AskQuery): Promise<AskAnswer> {
    this.#follow();
    return sqliteAsk(this.#db, query);
  }

  async articleAnnotations(documentId: string): Promise<ArticleAnnotations> {
    this.#follow();
    return sqliteArticleAnnotations(this.#db, documentId);
  }

  async entity(key: string): Promise<EntitySummary | null> {
    this.#follow();
    return sqliteEntity(this.#db, key);
  }

  async suggestEntities(query: EntitySuggestQuery): Promise<EntitySuggestion[]> {
    this.#follow();
    return sqliteSuggestEntities(this.#db, query);
  }

  async coMentioned(query: CoMentionQuery): Promise<FacetBucket[]> {
    this.#follow();
    return sqliteCoMentioned(this.#db, query);
  }

  async counts(): Promise<StoreCounts> {
    this.#follow();
    const n = (table: string) => (this.#db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { articles: n('articles'), sentences: n('sentences'), mentions: n('mentions'), relations: n('relations') };
  }

  async refresh(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function openDatabase(path: string, mustExist: boolean): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: mustExist });
  } catch (err) {
    const missing = mustExist && !existsSync(path) ? ': the live index set is this file, and it is missing' : '';
    throw new LitmineError('LITMINE_STORE_UNAVAILABLE', `cannot open ${path}${missing}`, { cause: err, retriable: false });
  }
  db.pragma('journal_mode = WAL');
  // FULL, as the log: the index stage commits its offsets after this write, so a store write lost to
  // a power cut after the (fsynced) offset commit would never be redelivered (docs/ARCHITECTURE.md).
  db.pragma('synchronous = FULL');
  return db;
}
