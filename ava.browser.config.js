// The browser tier: the analysts' page in headless Chromium (Debian's chromium package, driven by
// playwright-core), on the embedded store and, when LITMINE_ES_URL is set, on Elasticsearch.
import base from './ava.config.js';

export default {
  ...base,
  files: ['test/browser/**/*.test.ts'],
  concurrency: 1,
  timeout: '10m',
};
