/**
 * A transactional worker for kafka-log.test.ts's crash test, run as a child process: copies
 * CRASH_INPUT to CRASH_OUTPUT in transactions; with CRASH_HANG_AFTER=n it prints HANGING and
 * hangs in batch n with its transaction open (outputs and offsets sent, no commit), to be SIGKILLed.
 *
 *   CRASH_INPUT=in CRASH_OUTPUT=out CRASH_GROUP=g CRASH_HANG_AFTER=3 node --import=tsx kafka-tx-worker.ts
 */
import { KafkaLog } from '../../src/log/kafka-log.js';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const input = env('CRASH_INPUT');
const output = env('CRASH_OUTPUT');
const hangAfter = Number(process.env.CRASH_HANG_AFTER ?? '0');
let transactions = 0;

const log = new KafkaLog({
  brokers: env('LITMINE_KAFKA_BROKERS').split(','),
  clientId: 'litmine-crash-worker',
  logLevel: 'nothing',
  // Longer than the test: only the restarted worker's fencing can end the open transaction.
  transactionTimeoutMs: 300_000,
  // The killed member stays in the group until its session times out; the restart waits that long.
  sessionTimeoutMs: 10_000,
  beforeTransactionCommit: async () => {
    transactions++;
    if (hangAfter > 0 && transactions === hangAfter) {
      process.stdout.write('HANGING\n');
      await new Promise(() => undefined);
    }
  },
});

const result = await log.process({
  group: env('CRASH_GROUP'),
  topics: [input],
  transactional: true,
  workerId: 'crash-worker',
  untilIdle: true,
  maxBatchSize: 7,
  handler: async (batch) => batch.map((m) => ({ topic: output, key: m.key, value: Buffer.from(`${m.value}`) })),
});
process.stdout.write(`DONE ${JSON.stringify(result)}\n`);
await log.close();
