/**
 * `litmine serve`'s app over a store file in a process of its own, for the fault tier's server
 * tests (so that the load generator does not share the server's event loop): prints its address,
 * stops on SIGTERM. Options as JSON in argv[3]: buildApp's apiKey, rateLimit and limits.
 *
 *   node --import tsx test/faults/serve-child.ts <store.sqlite> '{"apiKey":"…"}'
 */
import { buildApp } from '../../src/serve/build-app.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const [path, options = '{}'] = process.argv.slice(2);
const store = new SqliteStore({ path: path! });
await store.init();
const app = await buildApp({ store, logger: { level: 'warn' }, ...JSON.parse(options) });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
