/**
 * The page's browser tests on a real Elasticsearch (LITMINE_ES_URL, unique index prefix, dropped
 * afterwards); skipped when LITMINE_ES_URL is unset.
 */
import { randomBytes } from 'node:crypto';
import { ElasticsearchStore } from '../../src/store/elasticsearch-store.js';
import { pageSuite } from './page-suite.js';

const url = process.env.LITMINE_ES_URL;
const serverMajor = url ? Number(((await (await fetch(url)).json()) as { version: { number: string } }).version.number.split('.')[0]) : 9;

pageSuite(
  'elasticsearch',
  async () => {
    const options = { node: url!, serverMajor, indexPrefix: `litmine-page-${randomBytes(4).toString('hex')}`, replicas: 0, shards: 1 };
    return {
      store: new ElasticsearchStore(options),
      dispose: async () => {
        const admin = new ElasticsearchStore(options);
        await admin.dropAll();
        await admin.close();
      },
    };
  },
  url ? {} : { skip: 'LITMINE_ES_URL is not set' },
);
