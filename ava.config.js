// ava runs the TypeScript sources directly through tsx; `npm test` is the unit tier plus the
// shared-data tier, which skips itself when ../shared/data is absent. Integration tests (real
// Kafka and Elasticsearch) live under test/integration and run through `npm run test:integration`.
export default {
  files: ['test/**/*.test.ts', '!test/integration/**', '!test/faults/**'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '5m',
  concurrency: 2,
  workerThreads: false,
};
