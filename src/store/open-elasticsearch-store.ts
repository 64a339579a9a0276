/**
 * Opens the Elasticsearch store from the validated configuration (the composition root's only way
 * in, so the client is loaded only when configured): builds the client, puts the index templates
 * and creates the first index set behind the aliases when there is none; `readOnly` (query
 * commands) writes nothing and only checks that the aliases answer.
 *
 *   const store = await openElasticsearchStore(config.store.elasticsearch);
 */
import type { ElasticsearchConfig } from '../config/config-schema.js';
import { ElasticsearchStore } from './elasticsearch-store.js';
import { initialized } from './initialized.js';

export async function openElasticsearchStore(
  config: ElasticsearchConfig,
  options: { readOnly?: boolean } = {},
): Promise<ElasticsearchStore> {
  return initialized(
    new ElasticsearchStore({
      node: config.node,
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      ...(config.username ? { username: config.username, password: config.password ?? '' } : {}),
      ...(config.caFile ? { caFile: config.caFile } : {}),
      serverMajor: config.serverMajor,
      indexPrefix: config.indexPrefix,
      ...(options.readOnly ? { readOnly: true } : {}),
    }),
  );
}
