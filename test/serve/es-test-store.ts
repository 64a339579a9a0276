/**
 * A throwaway Elasticsearch store for the server's suites (API and browser) on LITMINE_ES_URL: a
 * unique index prefix per suite, every index dropped by `dispose`.
 */
import { randomBytes } from 'node:crypto';
import { ElasticsearchStore } from '../../src/store/elasticsearch-store.js';

export const esUrl = process.env.LITMINE_ES_URL;
const serverMajor = esUrl
  ? Number(((await (await fetch(esUrl)).json()) as { version: { number: string } }).version.number.split('.')[0])
  : 9;

export async function esTestStore(prefix: string) {
  const options = { node: esUrl!, serverMajor, indexPrefix: `${prefix}-${randomBytes(4).toString('hex')}`, replicas: 0, shards: 1 };
  return {
    store: new ElasticsearchStore(options),
    dispose: async () => {
      const admin = new ElasticsearchStore(options);
      await admin.dropAll();
      await admin.close();
    },
  };
}
