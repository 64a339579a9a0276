/**
 * The Kafka log: the log seam over Apache Kafka through kafkajs, for production and several
 * machines. `process` with `transactional: true` runs consume-transform-produce in a Kafka
 * transaction (outputs + sendOffsets + commit), so read_committed readers see each batch once.
 * Here: client setup, admin (topics, offsets, groups) and readAll; the consumer loop is in
 * kafka-process-run.ts, commits in kafka-batch-commit.ts, untilIdle in kafka-progress.ts, error
 * codes in kafka-errors.ts.
 *
 *   const log = new KafkaLog({ brokers: ['127.0.0.1:19092'], clientId: 'litmine-annotate' });
 *   await log.process({ group: 'annotate', topics: ['litmine.articles'], handler, transactional: true, workerId: 'w1' });
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { type Admin, type Consumer, Kafka, type KafkaConfig, type Producer, logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';
import { LitmineError } from '../errors.js';
import { hasErrorType, kafkaCall, wrapKafka } from './kafka-errors.js';
import { type BatchCommitter, plainCommitter, transactionalCommitter } from './kafka-batch-commit.js';
import { ProcessRun, consumeBatch, partitionId, trackPositions } from './kafka-process-run.js';
import { committedOffsets, finishWhenCaughtUp } from './kafka-progress.js';
import { partitionKeyPartitioner, toLogMessage, toTopicMessages } from './kafka-messages.js';
import type {
  CompactResult,
  Log,
  LogMessage,
  OutMessage,
  PartitionLag,
  ProcessOptions,
  ProcessResult,
  ReadOptions,
  TopicInfo,
  TopicSpec,
} from './log.js';
import { sleep } from './retry-batch.js';

export interface KafkaLogOptions {
  brokers: string[];
  clientId?: string;
  /** true for TLS with the system CAs; or PEM file paths for a private CA / client certificate. */
  ssl?: boolean | { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  /** SASL credentials; take them from the environment or a file, never from a committed config. */
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** Replication factor of created topics; -1 takes the broker's default.replication.factor. */
  replicationFactor?: number;
  /** How long an open transaction may stay open before the coordinator aborts it (ms). Default 60000. */
  transactionTimeoutMs?: number;
  /** Consumer session timeout (ms). Default 30000; long batches stay alive through heartbeat(). */
  sessionTimeoutMs?: number;
  /** kafkajs's own log lines (no credentials are in them) at this level and above. Default 'error'. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** readAll gives up after this long without reaching the end (an open transaction holds it). Default 30000. */
  readTimeoutMs?: number;
  /**
   * Fault injection for tests: called inside an open transaction after its outputs and offsets were
   * sent, before the commit (the crash test hangs here and is SIGKILLed). Never set in production.
   */
  beforeTransactionCommit?: () => Promise<void>;
}

/** Prefix of the throwaway groups readAll joins (hidden from groups()). */
const READ_GROUP_PREFIX = 'litmine-readall-';

export class KafkaLog implements Log {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly options: KafkaLogOptions;
  private admin?: Promise<Admin>;
  private producer?: Promise<Producer>;
  private readonly running = new Set<{ stop: () => void; done: Promise<unknown> }>();

  constructor(options: KafkaLogOptions) {
    if (!options.brokers?.length) throw new LitmineError('LITMINE_CONFIG', 'kafka: brokers must list at least one host:port');
    this.options = options;
    const config: KafkaConfig = {
      brokers: options.brokers,
      clientId: options.clientId ?? 'litmine',
      logLevel: toKafkaLogLevel(options.logLevel ?? 'error'),
      logCreator: jsonLogCreator,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
    };
    if (options.ssl === true) config.ssl = true;
    else if (options.ssl) {
      const read = (p?: string) => (p ? readFileSync(p, 'utf8') : undefined);
      config.ssl = {
        ca: options.ssl.ca ? [read(options.ssl.ca)!] : undefined,
        cert: read(options.ssl.cert),
        key: read(options.ssl.key),
        rejectUnauthorized: options.ssl.rejectUnauthorized ?? true,
      };
    }
    if (options.sasl) config.sasl = { ...options.sasl } as KafkaConfig['sasl'];
    this.kafka = new Kafka(config);
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await kafkaCall(() => admin.listTopics(), 'list topics'));
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length === 0) return;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: this.options.replicationFactor ?? -1,
          configEntries: [
            { name: 'cleanup.policy', value: s.cleanup },
            ...(s.retentionMs !== undefined ? [{ name: 'retention.ms', value: String(s.retentionMs) }] : []),
            ...(s.maxMessageBytes !== undefined ? [{ name: 'max.message.bytes', value: String(s.maxMessageBytes) }] : []),
          ],
        })),
      });
    } catch (err) {
      // A concurrent creator won the race: that is the idempotent outcome we wanted.
      if (/already exists/i.test(String((err as Error)?.message)) || hasErrorType(err, 'TOPIC_ALREADY_EXISTS')) return;
      // Created, but the metadata kafkajs polled for their leaders did not have them yet (a loaded broker).
      if (hasErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) return this.untilLeaders(missing.map((s) => s.name));
      throw wrapKafka(err, 'create topics');
    }
  }

  /** Polls topic metadata until every partition of `topics` has a leader (at most ~30 s). */
  private async untilLeaders(topics: string[]): Promise<void> {
    const admin = await this.getAdmin();
    let last: unknown;
    for (let attempt = 0; attempt < 60; attempt++) {
      try {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics });
        if (meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (err) {
        last = err;
      }
      await sleep(500);
    }
    throw wrapKafka(last ?? new Error('no leaders'), `create topics: no leader for ${topics.join(', ')} after 30 s`);
  }

  async produce(messages: OutMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    await kafkaCall(() => producer.sendBatch({ topicMessages: toTopicMessages(messages), acks: -1 }), 'produce');
  }

  /**
   * A consumer-group member until aborted (or caught up, with untilIdle): each fetched batch is
   * handled in chunks and committed by the group's committer (a transaction, or outputs then offsets).
   */
  async process(options: ProcessOptions): Promise<ProcessResult> {
    const result: ProcessResult = { batches: 0, messages: 0, produced: 0 };
    const run = new ProcessRun(options.signal);
    const admin = await this.getAdmin();
    await this.assertTopics(options.topics);
    const consumer = this.newConsumer(options.group);
    const tracker = trackPositions(consumer, run);
    const committer = await this.committerFor(options, consumer);
    const entry = { stop: () => run.stop(), done: run.finished };
    this.running.add(entry);
    try {
      await committer.connect();
      await kafkaCall(() => consumer.connect(), 'connect consumer');
      await kafkaCall(() => consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true }), 'subscribe');
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => consumeBatch(payload, { options, run, committer, tracker, result }),
      });
      if (options.untilIdle) void finishWhenCaughtUp(admin, options, run, tracker);
      await run.finished;
    } catch (err) {
      run.fail(wrapKafka(err, 'process'));
    } finally {
      // disconnect() waits for the batch in flight; a transaction is committed or aborted by then.
      await consumer.disconnect().catch(() => undefined);
      await committer.disconnect();
      this.running.delete(entry);
      run.release();
    }
    if (run.failed) throw run.fatal;
    return result;
  }

  private newConsumer(group: string): Consumer {
    return this.kafka.consumer({
      groupId: group,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 500,
    });
  }

  private async committerFor(options: ProcessOptions, consumer: Consumer): Promise<BatchCommitter> {
    if (!options.transactional) return plainCommitter(await this.getProducer(), consumer);
    return transactionalCommitter({
      kafka: this.kafka,
      group: options.group,
      workerId: options.workerId ?? `${hostname()}-${process.pid}`,
      transactionTimeoutMs: this.options.transactionTimeoutMs ?? 60_000,
      beforeTransactionCommit: this.options.beforeTransactionCommit,
    });
  }

  async readAll(topic: string, options: ReadOptions = {}): Promise<LogMessage[]> {
    const admin = await this.getAdmin();
    await this.assertTopics([topic]);
    const ends = await kafkaCall(() => admin.fetchTopicOffsets(topic), 'fetch offsets');
    const targets = new Map<number, bigint>();
    for (const e of ends) if (BigInt(e.high) > BigInt(e.low)) targets.set(e.partition, BigInt(e.high));
    if (targets.size === 0) return [];
    // kafkajs has no manual assignment: a throwaway group reads from the beginning, then is deleted.
    const groupId = `${READ_GROUP_PREFIX}${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      readUncommitted: options.readCommitted === false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 200,
    });
    const byPartition = new Map<number, Map<string, LogMessage>>();
    const positions = new Map<number, bigint>();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const advance = (partition: number, next: bigint) => {
      if ((positions.get(partition) ?? -1n) < next) positions.set(partition, next);
      if ([...targets].every(([p, high]) => (positions.get(p) ?? 0n) >= high)) done();
    };
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      if (e.payload.topic === topic) advance(e.payload.partition, BigInt(e.payload.lastOffset) + 1n);
    });
    try {
      await kafkaCall(() => consumer.connect(), 'connect reader');
      await kafkaCall(() => consumer.subscribe({ topics: [topic], fromBeginning: true }), 'subscribe reader');
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const high = targets.get(batch.partition);
          if (high === undefined) return;
          const seen = byPartition.get(batch.partition) ?? new Map<string, LogMessage>();
          byPartition.set(batch.partition, seen);
          // Keyed by offset: a rebalance may deliver a range twice.
          for (const m of batch.messages) if (BigInt(m.offset) < high) seen.set(m.offset, toLogMessage(topic, batch.partition, m));
        },
      });
      const timeoutMs = this.options.readTimeoutMs ?? 30_000;
      if (!(await finishedOr(finished, timeoutMs))) {
        throw new LitmineError(
          'LITMINE_LOG_UNAVAILABLE',
          `readAll ${topic}: end not reached in ${timeoutMs} ms (an open transaction holds read_committed readers back)`,
        );
      }
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return [...byPartition.keys()]
      .sort((a, b) => a - b)
      .flatMap((p) => [...byPartition.get(p)!.values()].sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1)));
  }

  async lag(group: string, topics: string[]): Promise<PartitionLag[]> {
    const admin = await this.getAdmin();
    await this.assertTopics(topics);
    const committed = await committedOffsets(admin, group, topics);
    const out: PartitionLag[] = [];
    for (const topic of topics) {
      const ends = await kafkaCall(() => admin.fetchTopicOffsets(topic), 'fetch offsets');
      for (const e of [...ends].sort((a, b) => a.partition - b.partition)) {
        const c = committed.get(partitionId(topic, e.partition));
        const low = BigInt(e.low);
        const high = BigInt(e.high);
        const from = c === undefined || c < low ? low : c;
        out.push({
          topic,
          partition: e.partition,
          end: e.high,
          committed: c === undefined ? null : c.toString(),
          lag: Number(high > from ? high - from : 0n),
        });
      }
    }
    return out;
  }

  async describe(topics?: string[]): Promise<TopicInfo[]> {
    const admin = await this.getAdmin();
    const names = topics ?? (await kafkaCall(() => admin.listTopics(), 'list topics')).filter((t) => !t.startsWith('__')).sort();
    if (topics) await this.assertTopics(topics);
    const out: TopicInfo[] = [];
    for (const name of names) {
      const ends = await kafkaCall(() => admin.fetchTopicOffsets(name), 'fetch offsets');
      out.push({
        name,
        partitions: [...ends].sort((a, b) => a.partition - b.partition).map((e) => ({ partition: e.partition, start: e.low, end: e.high })),
      });
    }
    return out;
  }

  async groups(): Promise<string[]> {
    const admin = await this.getAdmin();
    const { groups } = await kafkaCall(() => admin.listGroups(), 'list groups');
    return groups
      .map((g) => g.groupId)
      .filter((g) => !g.startsWith(READ_GROUP_PREFIX))
      .sort();
  }

  async deleteTopics(names: string[]): Promise<void> {
    if (names.length === 0) return;
    const admin = await this.getAdmin();
    const existing = new Set(await kafkaCall(() => admin.listTopics(), 'list topics'));
    const present = names.filter((n) => existing.has(n));
    if (present.length === 0) return;
    await kafkaCall(() => admin.deleteTopics({ topics: present, timeout: 30_000 }), 'delete topics');
    // Deletion is asynchronous on the broker; wait until metadata no longer lists the topics.
    for (let i = 0; i < 50; i++) {
      const left = new Set(await kafkaCall(() => admin.listTopics(), 'list topics'));
      if (!present.some((n) => left.has(n))) return;
      await sleep(200);
    }
  }

  /** Brokers compact and expire by the topic configs set in `ensureTopics`: nothing to do here. */
  async compact(): Promise<CompactResult> {
    return { removed: 0, reclaimedBytes: 0 };
  }

  async close(): Promise<void> {
    for (const r of this.running) r.stop();
    await Promise.all([...this.running].map((r) => r.done));
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await (await producer?.catch(() => undefined))?.disconnect().catch(() => undefined);
    await (await admin?.catch(() => undefined))?.disconnect().catch(() => undefined);
  }

  // ---- internals ----

  private getAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await kafkaCall(() => admin.connect(), 'connect admin');
      return admin;
    })();
    this.admin.catch(() => (this.admin = undefined));
    return this.admin;
  }

  private getProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      // Idempotent: broker-side dedup of retried sends, so a retry never writes a record twice.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: partitionKeyPartitioner,
      });
      await kafkaCall(() => producer.connect(), 'connect producer');
      return producer;
    })();
    this.producer.catch(() => (this.producer = undefined));
    return this.producer;
  }

  private async assertTopics(topics: string[]): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await kafkaCall(() => admin.listTopics(), 'list topics'));
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new LitmineError('LITMINE_LOG_PROTOCOL', `unknown topic ${missing.join(', ')} (create it with ensureTopics)`);
    }
  }
}

/** Resolves true when `p` settles first, false after `ms`. */
async function finishedOr(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function toKafkaLogLevel(level: NonNullable<KafkaLogOptions['logLevel']>): KafkaLogLevel {
  return {
    nothing: KafkaLogLevel.NOTHING,
    error: KafkaLogLevel.ERROR,
    warn: KafkaLogLevel.WARN,
    info: KafkaLogLevel.INFO,
    debug: KafkaLogLevel.DEBUG,
  }[level];
}

/** kafkajs lines as one JSON object per line on stderr, like the rest of litmine's logs. */
const jsonLogCreator: logCreator =
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _t, logger: _l, ...rest } = log;
    const name = ({ 1: 'error', 2: 'warn', 4: 'info', 5: 'debug' } as Record<number, string>)[level] ?? String(level);
    process.stderr.write(`${JSON.stringify({ level: name, component: 'kafkajs', namespace, message, ...rest })}\n`);
  };
