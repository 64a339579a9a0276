/**
 * Index-set administration for the Elasticsearch store: create the five indices of a set, find the
 * set behind the aliases, swap every alias to another set atomically, delete a set, drop everything
 * of a prefix. Reprocessing fills a new set while queries answer from the old one.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import type { ElasticsearchStoreOptions } from './elasticsearch-client.js';
import { storeErrorCode } from './elasticsearch-errors.js';
import { INDEX_KINDS, aliasName, indexName, indexTemplates } from './elasticsearch-mappings.js';
import { indexSetName, liveIndexSet, unknownIndexSet } from './index-set-name.js';

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
  const name = indexSetName(set);
  await r.call(`create index set ${name}`, async () => {
    for (const kind of INDEX_KINDS) {
      const index = indexName(r.prefix, kind, name);
      if (await r.client.indices.exists({ index })) continue;
      await r.client.indices.create({
        index,
        ...(options.bulkLoad ? { settings: { refresh_interval: '-1' } } : {}),
      });
    }
    await r.client.cluster.health({
      index: INDEX_KINDS.map((k) => indexName(r.prefix, k, name)),
      wait_for_status: 'yellow',
      timeout: '30s',
    });
  });
}

/** The index set the aliases point at, or null. */
export async function currentIndexSet(r: IndexSetContext): Promise<string | null> {
  const alias = aliasName(r.prefix, 'articles');
  return r.call('read aliases', async () => {
    if (!(await r.client.indices.existsAlias({ name: alias }))) return null;
    const res = await r.client.indices.getAlias({ name: alias });
    const index = Object.keys(res)[0];
    return index ? index.slice(setPrefix(r).length) : null;
  });
}

/** The sets of the prefix: those with an articles index, sorted. */
export async function listIndexSets(r: IndexSetContext): Promise<string[]> {
  const rows = await r.call('list index sets', () =>
    r.client.cat.indices({ index: `${setPrefix(r)}*`, h: 'index', format: 'json', expand_wildcards: 'open' }),
  );
  return (rows as { index?: string }[])
    .map((row) => row.index ?? '')
    .filter((index) => index.startsWith(setPrefix(r)))
    .map((index) => index.slice(setPrefix(r).length))
    .sort();
}

/** Throws LITMINE_INDEX_SET when the set has no articles index. */
async function mustExist(r: IndexSetContext, name: string): Promise<void> {
  const index = indexName(r.prefix, 'articles', name);
  if (!(await r.call(`read index set ${name}`, () => r.client.indices.exists({ index })))) {
    throw unknownIndexSet(name, await listIndexSets(r));
  }
}

function setPrefix(r: IndexSetContext): string {
  return `${r.prefix}-articles-v`;
}

/**
 * Points every alias at `set` in one atomic updateAliases call (remove + add), after restoring
 * the set's refresh interval and refreshing it, so queries never see a half-filled set. Returns
 * the previous set (still there: drop it with dropIndexSet when no longer needed).
 */
export async function swapAliases(r: IndexSetContext, set: string): Promise<string | null> {
  const target = indexSetName(set);
  await mustExist(r, target);
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

/** Deletes the indices of a set that is not behind the aliases. */
export async function deleteIndexSet(r: IndexSetContext, set: string): Promise<void> {
  const name = indexSetName(set);
  await mustExist(r, name);
  if ((await currentIndexSet(r)) === name) throw liveIndexSet(name);
  await r.call(`delete index set ${name}`, () =>
    r.client.indices.delete({ index: INDEX_KINDS.map((k) => indexName(r.prefix, k, name)), ignore_unavailable: true }),
  );
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
