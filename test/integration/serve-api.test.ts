/**
 * The HTTP API suite of `litmine serve` (test/serve/api-suite.ts) on a real Elasticsearch: the same
 * real-XML corpus indexed under a unique prefix, dropped afterwards. Skipped without LITMINE_ES_URL.
 */
import { apiSuite } from '../serve/api-suite.js';
import { esTestStore, esUrl } from '../serve/es-test-store.js';

apiSuite(
  'elasticsearch',
  () => esTestStore('litmine-serve'),
  esUrl ? {} : { skip: 'LITMINE_ES_URL is not set (scripts/elasticsearch.sh start)' },
);
