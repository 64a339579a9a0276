/**
 * The Elasticsearch search store: the index stage's production sink and the analysts' query engine.
 * A thin composition: client setup (elasticsearch-client.ts), index sets and aliases
 * (elasticsearch-index-sets.ts), the pure write plan (elasticsearch-write-plan.ts, decisions from
 * version-rules.ts as in the embedded store) over per-document state records read with mget, the
 * bulk retry loop (elasticsearch-bulk.ts), and query building (elasticsearch-search.ts,
 * elasticsearch-relations.ts, elasticsearch-entity-queries.ts). One index set per model version behind aliases.
 *
 *   const store = new ElasticsearchStore({ node: 'http://127.0.0.1:19200', serverMajor: 7, indexPrefix: 'litmine' });
 */
import { Client, type estypes } from '@elastic/elasticsearch';
import type { Article } from '../records/types.js';
import { type BulkCounters, bulkWrite } from './elasticsearch-bulk.js';
import { type ElasticsearchStoreOptions, callElasticsearch, clientOptions, sanitize } from './elasticsearch-client.js';
import { indexSetName } from './index-set-name.js';
import { type PendingDoc, type StateDoc, emptyState, opDocumentId } from './elasticsearch-documents.js';
import { esArticleAnnotations, esCoMentioned, esEntity, type EsReader, esSuggestEntities } from './elasticsearch-entity-queries.js';
import * as indexSets from './elasticsearch-index-sets.js';
import { INDEX_KINDS, type IndexKind, TEMPLATE_VERSION, aliasName, indexName } from './elasticsearch-mappings.js';
import { esAsk, esFacets, esRelations } from './elasticsearch-relations.js';
import { MAX_IDS, esSearch } from './elasticsearch-search.js';
import { passageSections } from './elasticsearch-sections.js';
import { fullTextsNeeded, planDocs, planWrites, sectionsNeeded } from './elasticsearch-write-plan.js';
import type { ArticleAnnotations, CoMentionQuery, EntitySuggestQuery, EntitySuggestion, EntitySummary } from './entity-reads.js';
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
import { invalidReason } from './version-rules.js';

export type { BulkCounters } from './elasticsearch-bulk.js';
export { type ElasticsearchStoreOptions, clientOptions } from './elasticsearch-client.js';
export { TEMPLATE_VERSION };

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
    const set = options.indexSet ? indexSetName(options.indexSet) : null;
    this.#names = Object.fromEntries(
      INDEX_KINDS.map((k) => [k, set ? indexName(this.prefix, k, set) : aliasName(this.prefix, k)]),
    ) as Record<IndexKind, string>;
  }

  /** A store over the same server and client that reads and writes one index set directly. */
  forIndexSet(set: string): ElasticsearchStore {
    return new ElasticsearchStore({ ...this.#options, indexSet: set }, this.client);
  }

  // ---- Index sets and aliases -------------------------------------------------------------

  get #admin(): indexSets.IndexSetContext {
    return { client: this.client, prefix: this.prefix, options: this.#options, call: (what, fn) => this.#call(what, fn) };
  }

  async init(): Promise<void> {
    if (this.#options.readOnly) {
      // Query commands only read: they check that the server answers and whether anything is indexed.
      this.#nothingIndexed = !(await this.#call('read aliases', () => this.client.indices.existsAlias({ name: this.#names.articles })));
      return;
    }
    await indexSets.putIndexTemplates(this.#admin);
    if (this.#options.indexSet) {
      await indexSets.createIndexSet(this.#admin, this.#options.indexSet);
      return;
    }
    const exists = await this.#call('read aliases', () => this.client.indices.existsAlias({ name: aliasName(this.prefix, 'articles') }));
    if (!exists) {
      const set = this.#options.initialIndexSet ?? '1';
      await indexSets.createIndexSet(this.#admin, set);
      await this.swapTo(set);
    }
  }

  /** Creates the indices of a set (idempotent; with bulkLoad, refresh is off until swapTo) and returns a store on it. */
  async createIndexSet(set: string, options: { bulkLoad?: boolean } = {}): Promise<ElasticsearchStore> {
    await indexSets.createIndexSet(this.#admin, set, options);
    return this.forIndexSet(set);
  }

  async listIndexSets(): Promise<string[]> {
    return indexSets.listIndexSets(this.#admin);
  }

  /** The index set the aliases point at, or null. */
  async currentIndexSet(): Promise<string | null> {
    return indexSets.currentIndexSet(this.#admin);
  }

  /** Points every alias at `set` atomically; returns the previous set (still there until dropIndexSet). */
  async swapTo(set: string): Promise<string | null> {
    return indexSets.swapAliases(this.#admin, set);
  }

  async dropIndexSet(set: string): Promise<void> {
    await indexSets.deleteIndexSet(this.#admin, set);
  }

  /** Removes every index, alias and template of the prefix (tests, `litmine store drop`). */
  async dropAll(): Promise<void> {
    await indexSets.dropAll(this.#admin);
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

    const states = await this.#readStates([...new Set(valid.map(opDocumentId))]);
    const fullTexts = new Map<string, Article>();
    for (const id of fullTextsNeeded(valid, states)) {
      const stored = await this.getArticle(id);
      if (stored) fullTexts.set(id, stored);
    }
    const plan = planWrites(valid, states, fullTexts);
    const { docs, lateSections } = planDocs(plan, await this.#storedSections(sectionsNeeded(plan)));

    // Old annotation documents go first (by query, after a refresh so that it sees them); the
    // new ones are written after, so a replay never deletes what it has just written.
    if (plan.cleanupAll.size || plan.cleanupExceptTag.size) await this.#cleanup(plan.cleanupAll, plan.cleanupExceptTag);
    if (lateSections.size) docs.push(...(await this.#sectionUpdates(lateSections, plan.touched)));
    const failures = await bulkWrite({ client: this.client, names: this.#names, options: this.#options, counters: this.counters }, docs);
    for (const op of plan.written) {
      const reason = failures.get(op);
      if (reason) result.rejected.push({ op, reason });
      else result.applied++;
    }
    result.applied += plan.ignored;
    result.ignored = plan.ignored;
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
      states.set(id, found ? (d._source as StateDoc) : emptyState(id));
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
    return esSearch(this.#reader, query);
  }

  async relations(query: RelationQuery): Promise<RelationResult> {
    return esRelations(this.#reader, query);
  }

  async facets(query: FacetQuery): Promise<FacetBucket[]> {
    return esFacets(this.#reader, query);
  }

  async ask(query: AskQuery): Promise<AskAnswer> {
    return esAsk(this.#reader, query);
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
    return callElasticsearch(this.#options.node, what, fn);
  }
}
