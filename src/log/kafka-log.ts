/**
 * The Kafka log: the log seam over Apache Kafka through kafkajs, for production and several
 * machines. `process` with `transactional: true` runs consume-transform-produce in a Kafka
 * transaction (outputs + sendOffsets + commit), so read_committed readers see each batch once.
 *
 *   const log = new KafkaLog({ brokers: ['127.0.0.1:19092'], clientId: 'litmine-annotate' });
 *   await log.process({ group: 'annotate', topics: ['litmine.articles'], handler, transactional: true, workerId: 'w1' });
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  type Admin,
  type Consumer,
  type IHeaders,
  Kafka,
  type KafkaConfig,
  type KafkaMessage,
  type Message,
  Partitioners,
  type Producer,
  type TopicMessages,
  logLevel as KafkaLogLevel,
  type logCreator,
} from 'kafkajs';
import { LitmineError } from '../errors.js';
import type {
  BatchContext,
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
import { RetryAborted, retryBatch, sleep } from './retry-batch.js';

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

/** Commit refusals that mean "this member lost the partition in a rebalance", not "broken". */
const REBALANCE_ERRORS = ['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'FENCED_INSTANCE_ID'];

function isRebalanceError(err: unknown): boolean {
  return REBALANCE_ERRORS.some((type) => hasErrorType(err, type));
}

/** A batch whose partition was taken away before its offsets could be committed. */
class BatchRevoked extends Error {
  constructor(cause: unknown) {
    super('partition revoked before the batch was committed', { cause });
    this.name = 'BatchRevoked';
  }
}

/** Prefix of the throwaway groups readAll joins (hidden from groups()). */
const READ_GROUP_PREFIX = 'litmine-readall-';

interface Assignment {
  topic: string;
  partition: number;
}

const id = (topic: string, partition: number) => `${topic}\u0000${partition}`;

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
      if (!/already exists/i.test(String((err as Error)?.message)) && !hasErrorType(err, 'TOPIC_ALREADY_EXISTS')) {
        throw wrapKafka(err, 'create topics');
      }
    }
  }

  async produce(messages: OutMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    await kafkaCall(() => producer.sendBatch({ topicMessages: toTopicMessages(messages), acks: -1 }), 'produce');
  }

  async process(options: ProcessOptions): Promise<ProcessResult> {
    const result: ProcessResult = { batches: 0, messages: 0, produced: 0 };
    const maxBatch = options.maxBatchSize ?? 100;
    const fromBeginning = options.fromBeginning ?? true;
    const stopper = new AbortController();
    const signal = stopper.signal;
    const onOuterAbort = () => stopper.abort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (options.signal?.aborted) stopper.abort();

    let fatal: unknown;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    signal.addEventListener('abort', () => finish(), { once: true });
    const fail = (err: unknown) => {
      fatal ??= err;
      finish();
    };

    const admin = await this.getAdmin();
    await this.assertTopics(options.topics);
    const workerId = options.workerId ?? `${hostname()}-${process.pid}`;
    // One transactional id per worker and group: a restarted worker with the same id fences its
    // predecessor and aborts the transaction that predecessor left open.
    const newTxProducer = () =>
      this.kafka.producer({
        transactionalId: `litmine.${options.group}.${workerId}`,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: this.options.transactionTimeoutMs ?? 60_000,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
    let txProducer = options.transactional ? newTxProducer() : undefined;
    /** A transaction neither committed nor aborted (the broker went away): replace the producer. */
    let txBroken = false;
    const plainProducer = txProducer ? undefined : await this.getProducer();
    const consumer: Consumer = this.kafka.consumer({
      groupId: options.group,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 500,
    });

    let assignment: Assignment[] | null = null;
    /** Next offset per partition once this run has handled (or skipped) everything before it. */
    const positions = new Map<string, bigint>();
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      assignment = Object.entries(e.payload.memberAssignment).flatMap(([topic, parts]) =>
        (parts as number[]).map((partition) => ({ topic, partition })),
      );
      positions.clear();
    });
    // Batches of only control records or aborted messages never reach eachBatch; they still move us.
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      if (e.payload.batchSize === 0) {
        const key = id(e.payload.topic, e.payload.partition);
        const next = BigInt(e.payload.lastOffset) + 1n;
        if ((positions.get(key) ?? -1n) < next) positions.set(key, next);
      }
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) fail(wrapKafka(e.payload.error, 'consumer crashed'));
    });

    const commit = async (topic: string, partition: number, next: string, outs: OutMessage[]) => {
      if (txProducer) {
        if (txBroken) {
          // Same transactional id: the new producer's InitProducerId fences the old epoch and the
          // coordinator aborts whatever it left open, so nothing of the failed attempt is visible.
          await txProducer.disconnect().catch(() => undefined);
          txProducer = newTxProducer();
          await kafkaCall(() => txProducer!.connect(), 'reconnect transactional producer');
          txBroken = false;
        }
        const producer = txProducer;
        const txn = await kafkaCall(() => producer.transaction(), 'begin transaction');
        try {
          if (outs.length > 0) await txn.sendBatch({ topicMessages: toTopicMessages(outs), acks: -1 });
          await txn.sendOffsets({ consumerGroupId: options.group, topics: [{ topic, partitions: [{ partition, offset: next }] }] });
          await this.options.beforeTransactionCommit?.();
          await txn.commit();
        } catch (err) {
          const wrapped = wrapKafka(err, 'transaction');
          const aborted = await txn.abort().then(
            () => true,
            () => false,
          );
          if (!aborted || wrapped.retriable) txBroken = true;
          throw wrapped;
        }
      } else {
        // Outputs are durable (acks=all, idempotent) before the offset moves: at-least-once, and
        // deterministic output ids make the rare replay an overwrite.
        if (outs.length > 0) await kafkaCall(() => plainProducer!.sendBatch({ topicMessages: toTopicMessages(outs), acks: -1 }), 'produce');
        try {
          await consumer.commitOffsets([{ topic, partition, offset: next }]);
        } catch (err) {
          if (isRebalanceError(err)) throw new BatchRevoked(err);
          throw wrapKafka(err, 'commit offsets');
        }
      }
    };

    const entry = { stop: () => stopper.abort(), done: finished };
    this.running.add(entry);
    try {
      if (txProducer) {
        const producer = txProducer;
        await kafkaCall(() => producer.connect(), 'connect transactional producer');
      }
      await kafkaCall(() => consumer.connect(), 'connect consumer');
      await kafkaCall(() => consumer.subscribe({ topics: options.topics, fromBeginning }), 'subscribe');
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, heartbeat, resolveOffset, isRunning, isStale }) => {
          const messages = batch.messages;
          for (let i = 0; i < messages.length; i += maxBatch) {
            if (fatal !== undefined || signal.aborted || !isRunning() || isStale()) return;
            const chunk = messages.slice(i, i + maxBatch);
            const last = chunk[chunk.length - 1]!.offset;
            // The last chunk commits past trailing control records too (batch.lastOffset includes
            // them), or a transactional input would always show a lag of one.
            const isLastChunk = i + maxBatch >= messages.length;
            const next = (BigInt(isLastChunk ? batch.lastOffset() : last) + 1n).toString();
            const logMessages = chunk.map((m) => toLogMessage(batch.topic, batch.partition, m));
            // A heartbeat that learns of a rebalance marks the batch revoked instead of throwing into
            // the handler: the seam then drops the batch uncommitted, and kafkajs rejoins.
            let revoked = false;
            const batchStop = new AbortController();
            const onStop = () => batchStop.abort();
            signal.addEventListener('abort', onStop, { once: true });
            if (signal.aborted) batchStop.abort();
            const context: BatchContext = {
              heartbeat: async () => {
                try {
                  await heartbeat();
                } catch (err) {
                  if (!isRebalanceError(err)) throw wrapKafka(err, 'heartbeat');
                  revoked = true;
                  batchStop.abort();
                }
              },
              signal: batchStop.signal,
            };
            let produced: number;
            try {
              produced = await retryBatch(
                async () => {
                  const outs = await options.handler(logMessages, context);
                  // Committing a revoked batch would race the member that now owns the partition.
                  if (revoked) throw new BatchRevoked(undefined);
                  await commit(batch.topic, batch.partition, next, outs);
                  return outs.length;
                },
                { signal, retry: options.retry, onRetry: options.onRetry },
              );
            } catch (err) {
              // Revoked: the group moved on without us; kafkajs rejoins and the batch is read again
              // from the committed offset, by us or by the partition's new owner.
              if (!revoked && !(err instanceof RetryAborted) && !(err instanceof BatchRevoked)) fail(err);
              return; // unresolved: nothing of this chunk counts as consumed
            } finally {
              signal.removeEventListener('abort', onStop);
            }
            resolveOffset(last);
            positions.set(id(batch.topic, batch.partition), BigInt(next));
            result.batches++;
            result.messages += chunk.length;
            result.produced += produced;
            await heartbeat();
          }
        },
      });

      if (options.untilIdle) {
        // eachBatch cannot tell "caught up" from "nothing fetched yet": compare with the log ends.
        let lastProgressNotice = 0;
        let progressFailures = 0;
        (async () => {
          while (fatal === undefined && !signal.aborted) {
            await sleep(300, signal);
            if (assignment === null || signal.aborted) continue;
            try {
              if (await this.caughtUp(admin, options.group, assignment, positions, fromBeginning)) finish();
            } catch (err) {
              // The broker being away does not end the run: the next round asks again.
              const wrapped = wrapKafka(err, 'check progress');
              if (!wrapped.retriable) fail(wrapped);
              else if (Date.now() - lastProgressNotice > 5000) {
                progressFailures++;
                lastProgressNotice = Date.now();
                options.onRetry?.(wrapped, progressFailures, 300);
              }
            }
          }
        })();
        await finished;
      } else {
        await finished;
      }
    } catch (err) {
      fail(wrapKafka(err, 'process'));
    } finally {
      // disconnect() waits for the batch in flight; a transaction is committed or aborted by then.
      await consumer.disconnect().catch(() => undefined);
      await txProducer?.disconnect().catch(() => undefined);
      this.running.delete(entry);
      options.signal?.removeEventListener('abort', onOuterAbort);
      stopper.abort();
    }
    if (fatal !== undefined) throw fatal;
    return result;
  }

  /** Every assigned partition's position has reached its log end (high watermark). */
  private async caughtUp(
    admin: Admin,
    group: string,
    assignment: Assignment[],
    positions: Map<string, bigint>,
    fromBeginning: boolean,
  ): Promise<boolean> {
    if (assignment.length === 0) return true;
    const topics = [...new Set(assignment.map((a) => a.topic))];
    const committed = await this.committedOffsets(admin, group, topics);
    for (const topic of topics) {
      const ends = await kafkaCall(() => admin.fetchTopicOffsets(topic), 'fetch offsets');
      for (const a of assignment.filter((x) => x.topic === topic)) {
        const end = ends.find((e) => e.partition === a.partition);
        if (!end) return false;
        const high = BigInt(end.high);
        const low = BigInt(end.low);
        const c = committed.get(id(topic, a.partition));
        const known = positions.get(id(topic, a.partition));
        // Without a commit, a fromBeginning=false group started at the end: nothing to wait for.
        let position = known ?? (c !== undefined ? c : fromBeginning ? low : high);
        if (c !== undefined && c > position) position = c;
        if (position < low) position = low;
        if (position < high) return false;
      }
    }
    return true;
  }

  private async committedOffsets(admin: Admin, group: string, topics: string[]): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    const rows = await kafkaCall(() => admin.fetchOffsets({ groupId: group, topics }), 'fetch committed offsets');
    for (const t of rows) {
      for (const p of t.partitions) if (Number(p.offset) >= 0) out.set(id(t.topic, p.partition), BigInt(p.offset));
    }
    return out;
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
    const committed = await this.committedOffsets(admin, group, topics);
    const out: PartitionLag[] = [];
    for (const topic of topics) {
      const ends = await kafkaCall(() => admin.fetchTopicOffsets(topic), 'fetch offsets');
      for (const e of [...ends].sort((a, b) => a.partition - b.partition)) {
        const c = committed.get(id(topic, e.partition));
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
        createPartitioner: Partitioners.DefaultPartitioner,
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

function toTopicMessages(messages: OutMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push({ key: m.key, value: m.value, headers: m.headers });
    byTopic.set(m.topic, list);
  }
  return [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs }));
}

function toLogMessage(topic: string, partition: number, m: KafkaMessage): LogMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key === null || m.key === undefined ? null : m.key.toString('utf8'),
    value: m.value ?? null,
    headers: headersToStrings(m.headers),
    timestamp: Number(m.timestamp),
  };
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[v.length - 1] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
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

async function kafkaCall<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wrapKafka(err, what);
  }
}

function hasErrorType(err: unknown, type: string): boolean {
  const e = err as { type?: string; errors?: unknown[]; cause?: unknown } | undefined;
  if (!e) return false;
  if (e.type === type) return true;
  return (e.errors ?? []).some((x) => hasErrorType(x, type)) || (e.cause !== err && hasErrorType(e.cause, type));
}

// KafkaJSGroupCoordinatorNotFound is "non-retriable" in kafkajs, but it is what a transaction or a
// consumer group gets while the broker is down or its coordinator is still loading after a restart.
const CONNECTION_ERRORS = [
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionClosedError',
  'KafkaJSGroupCoordinatorNotFound',
];

/**
 * Connection trouble and exhausted retries of retriable errors mean "wait"; the rest is a rejection.
 * Once kafkajs gives up it wraps the last error in KafkaJSNumberOfRetriesExceeded or
 * KafkaJSNonRetriableError, with the connection error in `cause` (or `originalError`), possibly
 * several levels down: the whole chain is searched.
 */
export function wrapKafka(err: unknown, what: string): LitmineError {
  if (err instanceof LitmineError) return err;
  const e = err as { name?: string; message?: string } | undefined;
  // Fencing means another worker now owns this transactional id: retrying cannot help.
  const fenced = someInChain(err, (x) => /fenced|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/i.test(`${x.name} ${x.message} ${x.type ?? ''}`));
  const unavailable = someInChain(
    err,
    (x) => CONNECTION_ERRORS.includes(x.name ?? '') || (x.retriable === true && x.name !== 'KafkaJSNonRetriableError'),
  );
  return new LitmineError(
    unavailable && !fenced ? 'LITMINE_LOG_UNAVAILABLE' : 'LITMINE_LOG_PROTOCOL',
    `kafka ${what}: ${e?.message ?? String(err)}`,
    { cause: err },
  );
}

interface ChainLink {
  name?: string;
  message?: string;
  type?: string;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown[];
}

/** Walks cause, originalError and errors (aggregates), guarding against cycles. */
function someInChain(err: unknown, test: (link: ChainLink) => boolean, seen = new Set<unknown>()): boolean {
  if (!err || typeof err !== 'object' || seen.has(err)) return false;
  seen.add(err);
  const link = err as ChainLink;
  if (test(link)) return true;
  return [link.cause, link.originalError, ...(Array.isArray(link.errors) ? link.errors : [])].some((next) => someInChain(next, test, seen));
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
