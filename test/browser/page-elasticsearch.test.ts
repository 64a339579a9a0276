/**
 * The page's browser tests on a real Elasticsearch (LITMINE_ES_URL, unique index prefix, dropped
 * afterwards); skipped when LITMINE_ES_URL is unset.
 */
import { esTestStore, esUrl } from '../serve/es-test-store.js';
import { pageSuite } from './page-suite.js';

pageSuite('elasticsearch', () => esTestStore('litmine-page'), esUrl ? {} : { skip: 'LITMINE_ES_URL is not set' });
