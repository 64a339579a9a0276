/**
 * Index-set administration for the Elasticsearch store: create the five indices of a set, find the
 * set behind the aliases, swap every alias to another set atomically, delete a set, drop everything
 * of a prefix. Reprocessing fills a new set while queries answer from the old one.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { LitmineError } from '../errors.js';
import { type ElasticsearchStoreOptions, sanitize } from './elasticsearch-client.js';
import { storeErrorCode } from './elasticsearch-errors.js';
import { INDEX_KINDS, aliasName, indexName, indexTemplates } from './elasticsearch-mappings.js';

export interface IndexSetContext {
  client: Client;
  prefix: string;
  options: ElasticsearchStoreOptions;
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

/** Puts the index templates of the prefix (analyzer filters as the server offers them). */
export async function putIndexTemplates(r: IndexSetContext): Promise<void> {
  await r.call('put index templates', async () => {
    const filters = await analyzerFilters(r);
    for (const t of indexTemplates(r.prefix, {
      analyzerFilters: filters,
      shards: r.options.shards ?? 1,
      replicas: r.options.replicas ?? 1,
      refreshInterval: r.options.refreshInterval ?? '5s',
    })) {
      await r.client.indices.putIndexTemplate(t as never);
    }
  });
}

/** Creates the indices of a set (idempotent); with bulkLoad, refresh is off until swapAliases. */
export async function createIndexSet(r: IndexSetContext, set: string, options: { bulkLoad?: boolean } = {}): Promise<void> {
  await r.call(`create index set ${set}`, async () => {
    for (const kind of INDEX_KINDS) {
      const index = indexName(r.prefix, kind, sanitize(set));
      if (await r.client.indices.exists({ index })) continue;
      await r.client.indices.create({
        index,
        ...(options.bulkLoad ? { settings: { refresh_interval: '-1' } } : {}),
      });
    }
    await r.client.cluster.health({
      index: INDEX_KINDS.map((k) => indexName(r.prefix, k, sanitize(set))),
      wait_for_status: 'yellow',
      timeout: '30s',
    });
  });
}

/** The index set the aliases point at, or null. */
export async function currentIndexSet(r: IndexSetContext): Promise<string | null> {
  const alias = aliasName(r.prefix, 'articles');
  if (!(await r.client.indices.existsAlias({ name: alias }))) return null;
  const res = await r.client.indices.getAlias({ name: alias });
  const index = Object.keys(res)[0];
  return index ? index.slice(`${r.prefix}-articles-v`.length) : null;
}

/**
 * Points every alias at `set` in one atomic updateAliases call (remove + add), after restoring
 * the set's refresh interval and refreshing it, so queries never see a half-filled set. Returns
 * the previous set (still there: delete it with deleteIndexSet when no longer needed).
 */
export async function swapAliases(r: IndexSetContext, set: string): Promise<string | null> {
  const target = sanitize(set);
  const previous = await currentIndexSet(r);
  const indices = INDEX_KINDS.map((k) => indexName(r.prefix, k, target));
  await r.call(`swap aliases to ${target}`, async () => {
    await r.client.indices.putSettings({
      index: indices,
      settings: { refresh_interval: r.options.refreshInterval ?? '5s' },
    });
    await r.client.indices.refresh({ index: indices });
    const actions: estypes.IndicesUpdateAliasesAction[] = [];
    for (const kind of INDEX_KINDS) {
      const alias = aliasName(r.prefix, kind);
      if (previous !== null && previous !== target) actions.push({ remove: { index: indexName(r.prefix, kind, previous), alias } });
      actions.push({ add: { index: indexName(r.prefix, kind, target), alias, is_write_index: true } });
    }
    await r.client.indices.updateAliases({ actions });
  });
  return previous;
}

export async function deleteIndexSet(r: IndexSetContext, set: string): Promise<void> {
  const current = await currentIndexSet(r);
  if (current === sanitize(set)) throw new LitmineError('LITMINE_USAGE', `index set ${set} is behind the aliases; swap first`);
  await r.client.indices.delete({
    index: INDEX_KINDS.map((k) => indexName(r.prefix, k, sanitize(set))),
    ignore_unavailable: true,
  });
}

/** Removes every index, alias and template of the prefix (tests, `litmine store drop`). */
export async function dropAll(r: IndexSetContext): Promise<void> {
  await r.client.indices.delete({ index: `${r.prefix}-*-v*`, ignore_unavailable: true, allow_no_indices: true });
  for (const kind of INDEX_KINDS) {
    await r.client.indices.deleteIndexTemplate({ name: `${r.prefix}-${kind}` }).catch(() => {});
  }
}

/** asciifolding comes with analysis-common, which a bare 7.x node from Maven jars lacks. */
async function analyzerFilters(r: IndexSetContext): Promise<string[]> {
  for (const filters of [['lowercase', 'asciifolding'], ['lowercase']]) {
    try {
      await r.client.indices.analyze({ tokenizer: 'standard', filter: filters, text: 'Naïve IL-6' });
      return filters;
    } catch (err) {
      // An unreachable server is not a missing filter: let the caller wait it out.
      if (storeErrorCode(err) === 'LITMINE_STORE_UNAVAILABLE') throw err;
    }
  }
  return [];
}
