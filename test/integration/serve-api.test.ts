/**
 * The HTTP API suite of `litmine serve` (test/serve/api-suite.ts) on a real Elasticsearch: the same
 * real-XML corpus indexed under a unique prefix, dropped afterwards. Skipped without LITMINE_ES_URL.
 */
import { randomBytes } from 'node:crypto';
import { ElasticsearchStore } from '../../src/store/elasticsearch-store.js';
import { apiSuite } from '../serve/api-suite.js';

const url = process.env.LITMINE_ES_URL;
const serverMajor = url ? Number(((await (await fetch(url)).json()) as { version: { number: string } }).version.number.split('.')[0]) : 9;

apiSuite(
  'elasticsearch',
  async () => {
    const options = { node: url!, serverMajor, indexPrefix: `litmine-serve-${randomBytes(4).toString('hex')}`, replicas: 0, shards: 1 };
    return {
      store: new ElasticsearchStore(options),
      dispose: async () => {
        const admin = new ElasticsearchStore(options);
        await admin.dropAll();
        await admin.close();
      },
    };
  },
  url ? {} : { skip: 'LITMINE_ES_URL is not set (scripts/elasticsearch.sh start)' },
);
