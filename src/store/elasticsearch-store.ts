/**
 * The Elasticsearch search store: the index stage's production sink and the analysts' query engine.
 * Writes go through the client's bulk helper with deterministic _ids; version, delete and merge
 * decisions come from version-rules.ts (the same as the embedded store), made from a per-document
 * state index read with mget. One index set per model version behind aliases; see reprocessing below.
 *
 *   const store = new ElasticsearchStore({ node: 'http://127.0.0.1:19200', serverMajor: 7, indexPrefix: 'litmine' });
 */
import { readFileSync } from 'node:fs';
import { Client, SniffingTransport, type estypes } from '@elastic/elasticsearch';
import { passageSections, sectionQuery } from './elasticsearch-sections.js';

type ClientOptions = ConstructorParameters<typeof Client>[0];
import { LitmineError } from '../errors.js';
import type { Annotation, Article } from '../records/types.js';
import { storeErrorCode } from './elasticsearch-errors.js';
import { INDEX_KINDS, type IndexKind, TEMPLATE_VERSION, aliasName, indexName, indexTemplates } from './elasticsearch-mappings.js';
import { esArticleAnnotations, esCoMentioned, esEntity, type EsReader, esSuggestEntities } from './elasticsearch-entity-queries.js';
import type { ArticleAnnotations, CoMentionQuery, EntitySuggestQuery, EntitySuggestion, EntitySummary } from './entity-reads.js';
import { matchesNothing, questionTerms, searchPhrases } from './query-terms.js';
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

export interface ElasticsearchStoreOptions {
  node: string;
  apiKey?: string;
  username?: string;
  password?: string;
  /** PEM file of the CA that signed the server's certificate. */
  caFile?: string;
  /** Major version of the server (7, 8, 9): picks the `compatible-with` media types. Default 9. */
  serverMajor?: number;
  /** Prefix of index, alias and template names. Default 'litmine'. */
  indexPrefix?: string;
  /** Index set this store reads and writes directly (reprocessing); default: through the aliases. */
  indexSet?: string;
  /** Index set created behind the aliases when init() finds none. Default '1'. */
  initialIndexSet?: string;
  shards?: number;
  replicas?: number;
  refreshInterval?: string;
  bulk?: { flushBytes?: number; flushInterval?: number; concurrency?: number; retries?: number; wait?: number };
  requestTimeoutMs?: number;
  /** Query commands: init() only checks the aliases and never writes templates or indices. */
  readOnly?: boolean;
}

/** The server's answer to our bulk writes, counted for metrics and tests. */
export interface BulkCounters {
  retried: number;
  failed: number;
  successful: number;
}

type Json = Record<string, unknown>;

interface StateDoc {
  documentId: string;
  article: { version: number; fullText: boolean; source: Article['source'] } | null;
  annotationVersion: number | null;
  annotationTag: string | null;
  deleted: { version: number | null } | null;
  entities: { keys: string[]; types: string[]; texts: string[] };
}

interface PendingDoc {
  kind: IndexKind;
  id: string;
  /** Full document, partial update, or delete. */
  body?: Json;
  update?: Json;
  delete?: true;
  op: StoreOp;
}

const MAX_IDS = 10_000;
const EMPTY_ENTITIES = { keys: [], types: [], texts: [] };

export class ElasticsearchStore implements SearchStore {
  readonly kind = 'elasticsearch' as const;
  readonly client: Client;
  readonly prefix: string;
  readonly #options: ElasticsearchStoreOptions;
  readonly #names: Record<IndexKind, string>;
  readonly #ownsClient: boolean;
  readonly counters: BulkCounters = { retried: 0, failed: 0, successful: 0 };
  /** A read-only store found no aliases: counts are zero rather than an index_not_found error. */
  #nothingIndexed = false;

  constructor(options: ElasticsearchStoreOptions, client?: Client) {
    this.#options = options;
    this.prefix = sanitize(options.indexPrefix ?? 'litmine');
    this.#ownsClient = !client;
    this.client = client ?? new Client(clientOptions(options));
    const set = options.indexSet ? sanitize(options.indexSet) : null;
    this.#names = Object.fromEntries(
      INDEX_KINDS.map((k) => [k, set ? indexName(this.prefix, k, set) : aliasName(this.prefix, k)]),
    ) as Record<IndexKind, string>;
  }

  /** A store over the same server and client that reads and writes one index set directly. */
  forIndexSet(set: string): ElasticsearchStore {
    return new ElasticsearchStore({ ...this.#options, indexSet: set }, this.client);
  }

  // ---- Index sets and aliases -------------------------------------------------------------

  async init(): Promise<void> {
    if (this.#options.readOnly) {
      // Query commands only read: they check that the server answers and whether anything is indexed.
      this.#nothingIndexed = !(await this.#call('read aliases', () => this.client.indices.existsAlias({ name: this.#names.articles })));
      return;
    }
    await this.#call('put index templates', async () => {
      const filters = await this.#analyzerFilters();
      for (const t of indexTemplates(this.prefix, {
        analyzerFilters: filters,
        shards: this.#options.shards ?? 1,
        replicas: this.#options.replicas ?? 1,
        refreshInterval: this.#options.refreshInterval ?? '5s',
      })) {
        await this.client.indices.putIndexTemplate(t as never);
      }
    });
    if (this.#options.indexSet) {
      await this.createIndexSet(this.#options.indexSet);
      return;
    }
    const exists = await this.#call('read aliases', () => this.client.indices.existsAlias({ name: aliasName(this.prefix, 'articles') }));
    if (!exists) {
      const set = this.#options.initialIndexSet ?? '1';
      await this.createIndexSet(set);
      await this.swapAliases(set);
    }
  }

  /** Creates the indices of a set (idempotent); with bulkLoad, refresh is off until swapAliases. */
  async createIndexSet(set: string, options: { bulkLoad?: boolean } = {}): Promise<void> {
    await this.#call(`create index set ${set}`, async () => {
      for (const kind of INDEX_KINDS) {
        const index = indexName(this.prefix, kind, sanitize(set));
        if (await this.client.indices.exists({ index })) continue;
        await this.client.indices.create({
          index,
          ...(options.bulkLoad ? { settings: { refresh_interval: '-1' } } : {}),
        });
      }
      await this.client.cluster.health({
        index: INDEX_KINDS.map((k) => indexName(this.prefix, k, sanitize(set))),
        wait_for_status: 'yellow',
        timeout: '30s',
      });
    });
  }

  /** The index set the aliases point at, or null. */
  async currentIndexSet(): Promise<string | null> {
    const alias = aliasName(this.prefix, 'articles');
    if (!(await this.client.indices.existsAlias({ name: alias }))) return null;
    const res = await this.client.indices.getAlias({ name: alias });
    const index = Object.keys(res)[0];
    return index ? index.slice(`${this.prefix}-articles-v`.length) : null;
  }

  /**
   * Points every alias at `set` in one atomic updateAliases call (remove + add), after restoring
   * the set's refresh interval and refreshing it, so queries never see a half-filled set. Returns
   * the previous set (still there: delete it with deleteIndexSet when no longer needed).
   */
  async swapAliases(set: string): Promise<string | null> {
    const target = sanitize(set);
    const previous = await this.currentIndexSet();
    const indices = INDEX_KINDS.map((k) => indexName(this.prefix, k, target));
    await this.#call(`swap aliases to ${target}`, async () => {
      await this.client.indices.putSettings({
        index: indices,
        settings: { refresh_interval: this.#options.refreshInterval ?? '5s' },
      });
      await this.client.indices.refresh({ index: indices });
      const actions: estypes.IndicesUpdateAliasesAction[] = [];
      for (const kind of INDEX_KINDS) {
        const alias = aliasName(this.prefix, kind);
        if (previous !== null && previous !== target) actions.push({ remove: { index: indexName(this.prefix, kind, previous), alias } });
        actions.push({ add: { index: indexName(this.prefix, kind, target), alias, is_write_index: true } });
      }
      await this.client.indices.updateAliases({ actions });
    });
    return previous;
  }

  async deleteIndexSet(set: string): Promise<void> {
    const current = await this.currentIndexSet();
    if (current === sanitize(set)) throw new LitmineError('LITMINE_USAGE', `index set ${set} is behind the aliases; swap first`);
    await this.client.indices.delete({
      index: INDEX_KINDS.map((k) => indexName(this.prefix, k, sanitize(set))),
      ignore_unavailable: true,
    });
  }

  /** Removes every index, alias and template of the prefix (tests, `litmine store drop`). */
  async dropAll(): Promise<void> {
    await this.client.indices.delete({ index: `${this.prefix}-*-v*`, ignore_unavailable: true, allow_no_indices: true });
    for (const kind of INDEX_KINDS) {
      await this.client.indices.deleteIndexTemplate({ name: `${this.prefix}-${kind}` }).catch(() => {});
    }
  }

  /** asciifolding comes with analysis-common, which a bare 7.x node from Maven jars lacks. */
  async #analyzerFilters(): Promise<string[]> {
    for (const filters of [['lowercase', 'asciifolding'], ['lowercase']]) {
      try {
        await this.client.indices.analyze({ tokenizer: 'standard', filter: filters, text: 'Naïve IL-6' });
        return filters;
      } catch (err) {
        // An unreachable server is not a missing filter: let the caller wait it out.
        if (storeErrorCode(err) === 'LITMINE_STORE_UNAVAILABLE') throw err;
      }
    }
    return [];
  }

  // ---- Writing ----------------------------------------------------------------------------

  async apply(ops: StoreOp[]): Promise<ApplyResult> {
    const result: ApplyResult = { applied: 0, rejected: [], ignored: 0 };
    const valid: StoreOp[] = [];
    for (const op of ops) {
      const reason = invalidReason(op as never);
      if (reason) result.rejected.push({ op, reason });
      else valid.push(op);
    }
    if (!valid.length) return result;

    const docIds = [...new Set(valid.map(opDocumentId))];
    const states = await this.#readStates(docIds);
    const pendingArticles = new Map<string, { body: Json; article: Article }>();
    const entityUpdates = new Map<string, StateDoc['entities']>();
    const articleDeletes = new Map<string, StoreOp>();
    const pendingAnnotations = new Map<string, PendingDoc[]>();
    const cleanupAll = new Set<string>();
    const cleanupExceptTag = new Map<string, string>();
    const touched = new Map<string, StoreOp>();
    const opsWritten: StoreOp[] = [];
    let ignored = 0;

    const dropAnnotations = (docId: string, state: StateDoc) => {
      cleanupAll.add(docId);
      cleanupExceptTag.delete(docId);
      pendingAnnotations.delete(docId);
      state.annotationVersion = null;
      state.annotationTag = null;
      state.entities = { ...EMPTY_ENTITIES };
    };

    for (const op of valid) {
      const docId = opDocumentId(op);
      const state = states.get(docId)!;
      if (op.op === 'upsertArticle') {
        let stored: Article | null = pendingArticles.get(docId)?.article ?? null;
        if (!stored && state.article?.fullText && !op.article.fullText) stored = await this.getArticle(docId);
        const decision = decideArticle(toDocState(state), op.article, stored);
        if (decision.kind === 'ignore') {
          ignored++;
          continue;
        }
        const article = decision.article;
        if (decision.clearsDelete) state.deleted = null;
        const v = state.annotationVersion;
        if (
          v !== null &&
          ((decision.dropAnnotations === 'older' && v < article.version) || (decision.dropAnnotations === 'other' && v !== article.version))
        ) {
          dropAnnotations(docId, state);
        }
        state.article = { version: article.version, fullText: article.fullText, source: article.source };
        articleDeletes.delete(docId);
        entityUpdates.delete(docId);
        pendingArticles.set(docId, { article, body: articleDoc(article, state.entities) });
      } else if (op.op === 'upsertAnnotation') {
        const annotation = op.annotation;
        const decision = decideAnnotation(toDocState(state), annotation);
        if (decision.kind === 'ignore') {
          ignored++;
          continue;
        }
        const docs = annotationDocs(annotation, op);
        const tag = annotationTag(annotation);
        if (state.annotationTag !== null && state.annotationTag !== tag && !cleanupAll.has(docId)) cleanupExceptTag.set(docId, tag);
        pendingAnnotations.set(docId, docs);
        state.annotationVersion = annotation.documentVersion;
        state.annotationTag = tag;
        state.entities = entitiesOf(annotation);
        const pending = pendingArticles.get(docId);
        if (pending) pending.body = { ...pending.body, ...entityFields(state.entities) };
        else if (state.article) entityUpdates.set(docId, state.entities);
      } else {
        const decision = decideDelete(toDocState(state), op.version);
        if (decision.kind === 'ignore') {
          ignored++;
          continue;
        }
        state.deleted = decision.deleted;
        state.article = null;
        pendingArticles.delete(docId);
        entityUpdates.delete(docId);
        articleDeletes.set(docId, op);
        dropAnnotations(docId, state);
      }
      touched.set(docId, op);
      opsWritten.push(op);
    }

    // Sentences carry their passage's section (the section filter): from the article written in
    // this batch, else from the stored one; an article arriving after its annotation updates them.
    const storedSections = await this.#storedSections(
      [...pendingAnnotations.keys()].filter((id) => !pendingArticles.has(id) && states.get(id)!.article),
    );
    for (const [docId, list] of pendingAnnotations) {
      const pending = pendingArticles.get(docId);
      const sections = pending ? passageSections(pending.article) : storedSections.get(docId);
      if (sections?.size) withSections(list, sections);
    }
    const lateSections = new Map<string, Map<string, string>>();
    for (const [docId, { article }] of pendingArticles) {
      const sections = passageSections(article);
      if (sections.size && !pendingAnnotations.has(docId) && states.get(docId)!.annotationVersion !== null)
        lateSections.set(docId, sections);
    }

    // Old annotation documents go first (by query, after a refresh so that it sees them); the
    // new ones are written after, so a replay never deletes what it has just written.
    if (cleanupAll.size || cleanupExceptTag.size) await this.#cleanup(cleanupAll, cleanupExceptTag);

    const docs: PendingDoc[] = [];
    for (const [id, { body }] of pendingArticles) docs.push({ kind: 'articles', id, body, op: touched.get(id)! });
    for (const [id, entities] of entityUpdates) docs.push({ kind: 'articles', id, update: entityFields(entities), op: touched.get(id)! });
    for (const [id, op] of articleDeletes) docs.push({ kind: 'articles', id, delete: true, op });
    for (const list of pendingAnnotations.values()) docs.push(...list);
    for (const [id, op] of touched) docs.push({ kind: 'state', id, body: states.get(id) as unknown as Json, op });

    if (lateSections.size) docs.push(...(await this.#sectionUpdates(lateSections, touched)));
    const failures = await this.#bulk(docs);
    for (const op of opsWritten) {
      const reason = failures.get(op);
      if (reason) result.rejected.push({ op, reason });
      else result.applied++;
    }
    result.applied += ignored;
    result.ignored = ignored;
    return result;
  }

  /** Passage sections of stored articles (those with any), by document id. */
  async #storedSections(docIds: string[]): Promise<Map<string, Map<string, string>>> {
    const out = new Map<string, Map<string, string>>();
    if (!docIds.length) return out;
    const res = await this.#call('read article sections', () =>
      this.client.mget<{ article: Article }>({ index: this.#names.articles, ids: docIds, _source_includes: ['article.passages'] }),
    );
    for (const d of res.docs) if ('found' in d && d.found && d._source?.article) out.set(d._id, passageSections(d._source.article));
    return out;
  }

  /** Updates giving stored sentences the sections of their article, arrived after its annotation (one search per batch). */
  async #sectionUpdates(byDocument: Map<string, Map<string, string>>, touched: Map<string, StoreOp>): Promise<PendingDoc[]> {
    await this.#call('refresh sentences', () => this.client.indices.refresh({ index: this.#names.sentences }));
    const res = await this.#call('read sentence sections', () =>
      this.client.search<{ documentId: string; passageId: string; section?: string }>({
        index: this.#names.sentences,
        query: { terms: { documentId: [...byDocument.keys()] } },
        size: MAX_IDS,
        _source: ['documentId', 'passageId', 'section'],
      }),
    );
    const out: PendingDoc[] = [];
    for (const h of res.hits.hits) {
      const src = h._source!;
      const section = byDocument.get(src.documentId)?.get(src.passageId);
      if (section && section !== src.section)
        out.push({ kind: 'sentences', id: h._id!, update: { section }, op: touched.get(src.documentId)! });
    }
    return out;
  }

  async #readStates(docIds: string[]): Promise<Map<string, StateDoc>> {
    const res = await this.#call('read document states', () => this.client.mget<StateDoc>({ index: this.#names.state, ids: docIds }));
    const states = new Map<string, StateDoc>();
    for (const [i, d] of res.docs.entries()) {
      const id = docIds[i]!;
      const found = 'found' in d && d.found && d._source;
      states.set(
        id,
        found
          ? (d._source as StateDoc)
          : { documentId: id, article: null, annotationVersion: null, annotationTag: null, deleted: null, entities: { ...EMPTY_ENTITIES } },
      );
    }
    return states;
  }

  async #cleanup(all: Set<string>, exceptTag: Map<string, string>): Promise<void> {
    const indices = [this.#names.sentences, this.#names.mentions, this.#names.relations];
    const should: estypes.QueryDslQueryContainer[] = [];
    if (all.size) should.push({ terms: { documentId: [...all] } });
    for (const [docId, tag] of exceptTag) {
      should.push({ bool: { filter: [{ term: { documentId: docId } }], must_not: [{ term: { annotationTag: tag } }] } });
    }
    await this.#call('delete old annotations', async () => {
      await this.client.indices.refresh({ index: indices });
      await this.client.deleteByQuery({
        index: indices,
        query: { bool: { should, minimum_should_match: 1 } },
        conflicts: 'proceed',
        refresh: false,
      });
    });
  }

  /**
   * Writes with the bulk helper; returns the ops whose documents the server refused, with a reason.
   * Items answered 429 (write queue full) are sent again with exponential backoff (wait, 2×wait,
   * 4×wait, … plus jitter) up to `retries` times; only then do they count as rejected.
   */
  async #bulk(docs: PendingDoc[]): Promise<Map<StoreOp, string>> {
    const failures = new Map<StoreOp, string>();
    const b = this.#options.bulk ?? {};
    const retries = b.retries ?? 5;
    const wait = b.wait ?? 500;
    let pending = docs;
    for (let attempt = 0; pending.length; attempt++) {
      const overloaded = await this.#bulkOnce(pending, failures);
      if (!overloaded.length) break;
      if (attempt >= retries) {
        for (const d of overloaded) {
          if (!failures.has(d.op)) failures.set(d.op, `${d.kind} ${d.id}: still answered 429 (write queue full) after ${retries} retries`);
        }
        this.counters.failed += overloaded.length;
        break;
      }
      this.counters.retried += overloaded.length;
      await new Promise((r) => setTimeout(r, wait * 2 ** attempt * (1 + Math.random() * 0.2)));
      pending = overloaded;
    }
    return failures;
  }

  /** One pass of the bulk helper; returns the documents answered 429, records other refusals. */
  async #bulkOnce(docs: PendingDoc[], failures: Map<StoreOp, string>): Promise<PendingDoc[]> {
    const overloaded: PendingDoc[] = [];
    const byAction = new Map<string, PendingDoc>();
    for (const d of docs) byAction.set(`${this.#names[d.kind]}\u0000${d.id}`, d);
    const b = this.#options.bulk ?? {};
    try {
      const stats = await this.client.helpers.bulk<PendingDoc>({
        datasource: docs,
        flushBytes: b.flushBytes ?? 5_000_000,
        flushInterval: b.flushInterval ?? 1_000,
        concurrency: b.concurrency ?? 2,
        // 429s come back to onDrop at once; #bulk retries them with a growing wait.
        retries: 0,
        onDocument: (d) => {
          const meta = { _index: this.#names[d.kind], _id: d.id };
          if (d.delete) return { delete: meta };
          if (d.update) return [{ update: meta }, { doc: d.update }];
          return [{ index: meta }, d.body!];
        },
        onDrop: (dropped) => {
          const action = dropped.operation as unknown as Record<string, { _index: string; _id: string }>;
          const meta = Object.values(action)[0]!;
          const doc = byAction.get(`${meta._index}\u0000${meta._id}`);
          if (!doc) return;
          if (dropped.status === 429) {
            overloaded.push(doc);
            return;
          }
          // A delete or an entity update of something already gone is what we wanted.
          if (dropped.status === 404 && (doc.delete || doc.update)) return;
          const e = dropped.error;
          const reason = `${e?.type ?? dropped.status}: ${e?.reason ?? 'rejected'}${e?.caused_by ? ` (${e.caused_by.reason})` : ''}`;
          this.counters.failed += 1;
          if (!failures.has(doc.op)) failures.set(doc.op, `${doc.kind} ${doc.id}: ${reason}`);
        },
      });
      this.counters.successful += stats.successful;
    } catch (err) {
      throw new LitmineError(storeErrorCode(err), `elasticsearch ${nodeHost(this.#options.node)}: bulk write failed: ${describe(err)}`, {
        cause: err,
      });
    }
    return overloaded;
  }

  // ---- Reading ----------------------------------------------------------------------------

  async getArticle(documentId: string): Promise<Article | null> {
    const res = await this.#call('get article', () =>
      this.client.get<{ article: Article }>(
        { index: this.#names.articles, id: documentId, _source_includes: ['article'] },
        { ignore: [404] },
      ),
    );
    return res.found && res._source ? res._source.article : null;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const limit = clampLimit(query.limit, 10);
    const from = Math.max(0, query.offset ?? 0);
    if (matchesNothing(query.text)) return { total: 0, hits: [] };
    const phrases = searchPhrases(query.text ?? '');
    const filters = articleFilters(query.filters ?? {});
    const section = query.filters?.section;
    if ((query.target ?? 'articles') === 'sentences') return this.#searchSentences(phrases, filters, limit, from, section);
    if (section) {
      // Articles with a sentence of the section that matches the text on its own (bounded by MAX_IDS).
      const ids = await this.#sentenceDocuments(phrases, section);
      if (!ids.length) return { total: 0, hits: [] };
      filters.push({ terms: { documentId: ids } });
    }
    const must: estypes.QueryDslQueryContainer[] = phrases.map((p) => ({
      multi_match: { query: p, type: 'phrase', fields: ['title^3', 'abstract^2', 'body'] },
    }));
    const res = await this.#call('search articles', () =>
      this.client.search<ArticleSource>({
        index: this.#names.articles,
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

  async #searchSentences(
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
      const ids = await this.#articleIds(phrases, filters);
      if (!ids.length) return { total: 0, hits: [] };
      filter.push({ terms: { documentId: ids } });
    }
    const must: estypes.QueryDslQueryContainer[] = phrases.map((p) => ({ match_phrase: { text: p } }));
    const res = await this.#call('search sentences', () =>
      this.client.search<SentenceSource>({
        index: this.#names.sentences,
        query: { bool: { must: must.length ? must : [{ match_all: {} }], filter } },
        sort: [{ _score: { order: 'desc' } }, { sentenceId: 'asc' }],
        track_total_hits: true,
        from,
        size: limit,
        _source: ['sentenceId', 'documentId', 'passageId', 'start', 'end', 'text'],
        ...(phrases.length ? { highlight: { pre_tags: ['«'], post_tags: ['»'], fields: { text: { number_of_fragments: 0 } } } } : {}),
      }),
    );
    const meta = await this.#articleMeta(res.hits.hits.map((h) => h._source!.documentId));
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
  async #sentenceDocuments(phrases: string[], section: string): Promise<string[]> {
    const res = await this.#call('find sentences of a section', () =>
      this.client.search({
        index: this.#names.sentences,
        size: 0,
        query: { bool: { filter: [...phrases.map((p) => ({ match_phrase: { text: p } })), sectionQuery(section)] } },
        aggs: { documents: { terms: { field: 'documentId', size: MAX_IDS } } },
      }),
    );
    const agg = res.aggregations?.documents as estypes.AggregationsStringTermsAggregate | undefined;
    return ((agg?.buckets ?? []) as estypes.AggregationsStringTermsBucket[]).map((b) => String(b.key));
  }

  async #articleIds(phrases: string[], filters: estypes.QueryDslQueryContainer[]): Promise<string[]> {
    const must = phrases.map((p) => ({ multi_match: { query: p, type: 'phrase' as const, fields: ['title', 'abstract', 'body'] } }));
    const res = await this.#call('find articles', () =>
      this.client.search<{ documentId: string }>({
        index: this.#names.articles,
        query: { bool: { filter: [...must, ...filters] } },
        size: MAX_IDS,
        _source: ['documentId'],
      }),
    );
    return res.hits.hits.map((h) => h._source!.documentId);
  }

  async #articleMeta(ids: string[]): Promise<Map<string, ArticleSource>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, ArticleSource>();
    if (!unique.length) return out;
    const res = await this.#call('read article metadata', () =>
      this.client.mget<ArticleSource>({
        index: this.#names.articles,
        ids: unique,
        _source_includes: ['documentId', 'pmid', 'pmcid', 'title', 'journal', 'published'],
      }),
    );
    for (const d of res.docs) if ('found' in d && d.found && d._source) out.set(d._id, d._source);
    return out;
  }

  async relations(query: RelationQuery): Promise<RelationResult> {
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
    const res = await this.#call('query relations', () =>
      this.client.search({
        index: this.#names.relations,
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

  async facets(query: FacetQuery): Promise<FacetBucket[]> {
    const limit = clampLimit(query.limit, 10);
    const filter: estypes.QueryDslQueryContainer[] = [{ term: { type: query.type } }];
    const mustNot: estypes.QueryDslQueryContainer[] = [];
    if (query.entity) {
      const ids = await this.#documentsMentioning(query.entity);
      if (!ids.length) return [];
      filter.push({ terms: { documentId: ids } });
      mustNot.push(mentionQuery(query.entity));
    }
    if (query.text !== undefined && query.text !== null && query.text !== '') {
      const phrases = searchPhrases(query.text);
      if (!phrases.length) return [];
      const ids = await this.#articleIds(phrases, []);
      if (!ids.length) return [];
      filter.push({ terms: { documentId: ids } });
    }
    const res = await this.#call('facet mentions', () =>
      this.client.search({
        index: this.#names.mentions,
        size: 0,
        query: { bool: { filter, must_not: mustNot } },
        aggs: {
          keys: {
            terms: { field: 'key', size: limit, order: [{ documents: 'desc' }, { _count: 'desc' }, { _key: 'asc' }] },
            aggs: {
              documents: { cardinality: { field: 'documentId' } },
              text: { terms: { field: 'text', size: 1, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
              type: { terms: { field: 'type', size: 1 } },
            },
          },
        },
      }),
    );
    const aggs = res.aggregations as unknown as FacetAggs;
    return aggs.keys.buckets.map((b) => ({
      key: b.key,
      text: b.text.buckets[0]?.key ?? '',
      type: b.type.buckets[0]?.key ?? query.type,
      documents: b.documents.value,
      mentions: b.doc_count,
    }));
  }

  async #documentsMentioning(ref: EntityRef): Promise<string[]> {
    const res = await this.#call('find documents by entity', () =>
      this.client.search({
        index: this.#names.mentions,
        size: 0,
        query: { bool: { filter: [mentionQuery(ref)] } },
        aggs: { docs: { terms: { field: 'documentId', size: MAX_IDS } } },
      }),
    );
    return (res.aggregations as unknown as { docs: { buckets: { key: string }[] } }).docs.buckets.map((b) => b.key);
  }

  async ask(query: AskQuery): Promise<AskAnswer> {
    const limit = clampLimit(query.limit, 5);
    const terms = questionTerms(query.question ?? '');
    if (!terms.length) return { sentences: [] };
    const entities = [...new Set((query.entities ?? []).map((e) => normText(e.text)).filter(Boolean))];
    // BM25 for any question word, multiplied by (1 + ENTITY_BOOST × question entities mentioned),
    // the same factor the embedded store applies.
    const res = await this.#call('ask', () =>
      this.client.search<SentenceSource>({
        index: this.#names.sentences,
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

  get #reader(): EsReader {
    return { client: this.client, names: this.#names, call: (what, fn) => this.#call(what, fn) };
  }

  async articleAnnotations(documentId: string): Promise<ArticleAnnotations> {
    return esArticleAnnotations(this.#reader, documentId);
  }

  async entity(key: string): Promise<EntitySummary | null> {
    return esEntity(this.#reader, key);
  }

  async suggestEntities(query: EntitySuggestQuery): Promise<EntitySuggestion[]> {
    return esSuggestEntities(this.#reader, query);
  }

  async coMentioned(query: CoMentionQuery): Promise<FacetBucket[]> {
    return esCoMentioned(this.#reader, query);
  }

  async counts(): Promise<StoreCounts> {
    if (this.#nothingIndexed) return { articles: 0, sentences: 0, mentions: 0, relations: 0 };
    const n = async (kind: IndexKind) => (await this.#call(`count ${kind}`, () => this.client.count({ index: this.#names[kind] }))).count;
    const [articles, sentences, mentions, relations] = await Promise.all([n('articles'), n('sentences'), n('mentions'), n('relations')]);
    return { articles, sentences, mentions, relations };
  }

  async refresh(): Promise<void> {
    await this.#call('refresh', () => this.client.indices.refresh({ index: INDEX_KINDS.map((k) => this.#names[k]) }));
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.client.close();
  }

  /** Runs a request, turning failures into coded errors (retriable when the server is unreachable or overloaded). */
  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LitmineError) throw err;
      throw new LitmineError(storeErrorCode(err), `elasticsearch ${nodeHost(this.#options.node)}: ${what} failed: ${describe(err)}`, {
        cause: err,
      });
    }
  }
}

export { TEMPLATE_VERSION };

// ---- Client configuration ------------------------------------------------------------------

/**
 * Client options: auth from API key or user/password, a CA file for TLS, and the media types of
 * the server's major version — the 9.x client sends compatible-with=9, which 7.x/8.x servers refuse.
 * Credentials never appear in messages (errors are described by type and reason only).
 */
export function clientOptions(options: ElasticsearchStoreOptions): ClientOptions {
  const major = options.serverMajor ?? 9;
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : options.username
      ? { username: options.username, password: options.password ?? '' }
      : undefined;
  return {
    node: options.node,
    ...(auth ? { auth } : {}),
    ...(options.caFile ? { tls: { ca: readFileSync(options.caFile, 'utf8') } } : {}),
    Transport: compatibleTransport(major),
    maxRetries: 3,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    redaction: { type: 'replace' },
  };
}

/** A transport whose vendored media types name the server's major version (bulk: +x-ndjson). */
function compatibleTransport(major: number): typeof SniffingTransport {
  if (major === 9) return SniffingTransport;
  return class CompatibleTransport extends SniffingTransport {
    constructor(opts: ConstructorParameters<typeof SniffingTransport>[0]) {
      super({
        ...opts,
        vendoredHeaders: {
          jsonContentType: `application/vnd.elasticsearch+json; compatible-with=${major}`,
          ndjsonContentType: `application/vnd.elasticsearch+x-ndjson; compatible-with=${major}`,
          accept: `application/vnd.elasticsearch+json; compatible-with=${major},text/plain`,
        },
      });
    }
  };
}

// ---- Documents -------------------------------------------------------------------------------

interface ArticleSource {
  documentId: string;
  pmid?: string;
  pmcid?: string;
  title?: string;
  journal?: string;
  published?: string;
}

interface SentenceSource {
  sentenceId: string;
  documentId: string;
  passageId: string;
  start: number;
  end: number;
  text: string;
}

function articleDoc(article: Article, entities: StateDoc['entities']): Json {
  const texts = articleTexts(article);
  return {
    documentId: article.id,
    version: article.version,
    source: article.source,
    fullText: article.fullText,
    pmid: article.pmid,
    pmcid: article.pmcid,
    doi: article.doi,
    title: texts.title,
    abstract: texts.abstract,
    body: texts.body,
    journal: journalName(article),
    journalKeys: journalKeys(article),
    published: article.dates?.published,
    publishedDate: publishedDate(article.dates ?? {}),
    mesh: (article.mesh ?? []).map((m) => m.name),
    chemicals: (article.chemicals ?? []).map((c) => c.name),
    keywords: article.keywords,
    publicationTypes: article.publicationTypes,
    license: article.license,
    ...entityFields(entities),
    article,
  };
}

function entityFields(e: StateDoc['entities']): Json {
  return { entityKeys: e.keys, entityTypes: e.types, entityTexts: e.texts };
}

function entitiesOf(annotation: Annotation): StateDoc['entities'] {
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    keys: uniq(annotation.mentions.map((m) => normKey(m.key))),
    types: uniq(annotation.mentions.map((m) => m.type)),
    texts: uniq(annotation.mentions.map((m) => normText(m.text))),
  };
}

function withSections(docs: PendingDoc[], sections: Map<string, string>): void {
  for (const d of docs) {
    if (d.kind !== 'sentences' || !d.body) continue;
    const section = sections.get((d.body as { passageId: string }).passageId);
    if (section) d.body = { ...(d.body as object), section } as Json;
  }
}

/** Identifies one annotation's documents, so a replacement can delete the others by query. */
function annotationTag(annotation: Annotation): string {
  return `${annotation.documentId}@${annotation.documentVersion}/${annotation.modelVersion}`;
}

function annotationDocs(annotation: Annotation, op: StoreOp): PendingDoc[] {
  const doc = annotation.documentId;
  const version = annotation.documentVersion;
  const tag = annotationTag(annotation);
  const common = { documentId: doc, version, modelVersion: annotation.modelVersion, annotationTag: tag };
  const mentions = new Map(annotation.mentions.map((m) => [m.id, m]));
  const bySentence = new Map<string, Annotation['mentions']>();
  for (const m of annotation.mentions) bySentence.set(m.sentenceId, [...(bySentence.get(m.sentenceId) ?? []), m]);
  const sentences = new Map(annotation.sentences.map((s) => [s.id, s]));
  const out: PendingDoc[] = [];
  for (const s of sentences.values()) {
    const ms = bySentence.get(s.id) ?? [];
    out.push({
      kind: 'sentences',
      id: s.id,
      op,
      body: {
        ...common,
        sentenceId: s.id,
        passageId: s.passageId,
        start: s.start,
        end: s.end,
        text: s.text,
        mentionKeys: [...new Set(ms.map((m) => normKey(m.key)))],
        mentionTypes: [...new Set(ms.map((m) => m.type))],
        mentionTexts: [...new Set(ms.map((m) => normText(m.text)))],
      },
    });
  }
  for (const m of mentions.values()) {
    out.push({
      kind: 'mentions',
      id: m.id,
      op,
      body: {
        ...common,
        mentionId: m.id,
        sentenceId: m.sentenceId,
        passageId: m.passageId,
        type: m.type,
        key: normKey(m.key),
        text: m.text,
        textNorm: normText(m.text),
        start: m.start,
        end: m.end,
        score: m.score,
      },
    });
  }
  for (const r of annotation.relations) {
    const s = mentions.get(r.subjectId)!;
    const o = mentions.get(r.objectId)!;
    const sk = normKey(s.key);
    const ok = normKey(o.key);
    out.push({
      kind: 'relations',
      id: r.id,
      op,
      body: {
        ...common,
        relationId: r.id,
        type: r.type,
        sentenceId: r.sentenceId,
        sentence: sentences.get(r.sentenceId)?.text ?? '',
        subjectId: s.id,
        subjectKey: sk,
        subjectType: s.type,
        subjectText: s.text,
        subjectNorm: normText(s.text),
        objectId: o.id,
        objectKey: ok,
        objectType: o.type,
        objectText: o.text,
        objectNorm: normText(o.text),
        groupKey: `${sk}|${r.type}|${ok}`,
        score: r.score,
      },
    });
  }
  return out;
}

// ---- Queries ---------------------------------------------------------------------------------

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

interface FacetAggs {
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

// ---- Small helpers ---------------------------------------------------------------------------

function opDocumentId(op: StoreOp): string {
  return op.op === 'upsertArticle' ? op.article.id : op.op === 'upsertAnnotation' ? op.annotation.documentId : op.documentId;
}

function toDocState(s: StateDoc): DocState {
  return { article: s.article, annotationVersion: s.annotationVersion, deleted: s.deleted };
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

/** Scores are stored as float: 0.9 comes back as 0.8999999761581421. */
function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function clampLimit(n: number | undefined, fallback: number): number {
  return Math.min(Math.max(1, Math.floor(n ?? fallback)), 1000);
}

function sanitize(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  if (!s || s.startsWith('-') || s.startsWith('_'))
    throw new LitmineError('LITMINE_CONFIG', `not a usable index name part: ${JSON.stringify(name)}`);
  return s;
}

/** host:port of the node, without any credentials a URL may carry. */
function nodeHost(node: string): string {
  try {
    return new URL(node).host;
  } catch {
    return 'node';
  }
}

/** An error's type and reason, never its request (which may carry credentials in headers). */
function describe(err: unknown): string {
  const e = err as {
    name?: string;
    message?: string;
    meta?: { statusCode?: number; body?: { error?: { type?: string; reason?: string } } };
  };
  const body = e.meta?.body?.error;
  if (body?.type) return `${e.meta?.statusCode ?? ''} ${body.type}: ${body.reason ?? ''}`.trim();
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
}
