/**
 * The log seam: what every topology needs from Kafka or from the embedded SQLite log, and nothing
 * more. Stages never see it; topologies wire a stage between `process` and its output topics.
 *
 *   await log.ensureTopics([{ name: 'litmine.articles', partitions: 3, cleanup: 'compact' }]);
 *   await log.produce([{ topic: 'litmine.articles', key: 'pmid:1', value: Buffer.from(json) }]);
 *   await log.process({ group: 'annotate', topics: ['litmine.articles'], handler, untilIdle: true });
 */

export interface TopicSpec {
  name: string;
  partitions: number;
  /**
   * 'compact' keeps the latest value per key (and drops keys whose latest value is a tombstone);
   * 'delete' drops records older than `retentionMs`; 'compact,delete' does both, as on Kafka.
   */
  cleanup: 'delete' | 'compact' | 'compact,delete';
  /** Retention for cleanup 'delete' and 'compact,delete' (ms); -1 keeps forever. */
  retentionMs?: number;
  /** Largest record the topic accepts (Kafka max.message.bytes); full texts and their annotations exceed 1 MB. */
  maxMessageBytes?: number;
}

export interface OutMessage {
  topic: string;
  key: string | null;
  /** null is a tombstone (a delete on compacted topics). */
  value: Buffer | null;
  headers?: Record<string, string>;
  /**
   * Places the message by this instead of its key: a topic compacted per mention can still keep an
   * entity's mentions in one partition. Carried in the header PARTITION_KEY_HEADER on both logs.
   */
  partitionKey?: string;
}

/** The header that carries `OutMessage.partitionKey`; Kafka's partitioner reads it back from there. */
export const PARTITION_KEY_HEADER = 'litmine.partition-key';

/** The headers a message is written with: its own plus its partition key, when it has one. */
export function headersWithPartitionKey(m: OutMessage): Record<string, string> | undefined {
  if (m.partitionKey === undefined) return m.headers;
  return { ...m.headers, [PARTITION_KEY_HEADER]: m.partitionKey };
}

export interface LogMessage {
  topic: string;
  partition: number;
  /** Offsets are decimal strings, as Kafka clients give them. */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: number;
}

export interface ProcessOptions {
  /** Consumer group: committed offsets are per group, topic and partition. */
  group: string;
  topics: string[];
  /**
   * Called with each batch (one topic-partition's messages in offset order). What it returns is
   * produced, and the batch's offsets committed, atomically where the log supports transactions
   * (Kafka transactions; one SQLite transaction), so a crash never half-applies a batch. A thrown
   * retriable error retries the batch with backoff; any other thrown error stops `process`.
   */
  handler: (batch: LogMessage[], context: BatchContext) => Promise<OutMessage[]>;
  /** Return once every assigned partition is caught up (batch runs); otherwise run until aborted. */
  untilIdle?: boolean;
  maxBatchSize?: number;
  /**
   * Most value bytes in one batch (a message over it still goes, alone): lets a stage take many small
   * records at once while a few large ones (full texts) keep a batch short. No limit when absent.
   */
  maxBatchBytes?: number;
  /** Where a group with no committed offset starts. Default: earliest. */
  fromBeginning?: boolean;
  signal?: AbortSignal;
  /** Produce outputs and commit offsets in a transaction (exactly-once for read_committed readers). */
  transactional?: boolean;
  /** Identifies this worker; transactional ids derive from it. */
  workerId?: string;
  /** Backoff for batches whose handler (or commit) threw a retriable error. */
  retry?: RetryOptions;
  /** Told of every retriable failure before its backoff, so an outage shows in logs and status. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export interface RetryOptions {
  /** First delay (ms); doubled per attempt, with jitter. Default 200. */
  initialMs?: number;
  /** Ceiling of the delay (ms). Default 30000. */
  maxMs?: number;
  /** Attempts before the error is rethrown; default unlimited (retriable means "wait it out"). */
  maxAttempts?: number;
}

export interface BatchContext {
  /** Keeps group membership alive during long work (Kafka heartbeats; a no-op when embedded). */
  heartbeat(): Promise<void>;
  signal: AbortSignal;
}

export interface ProcessResult {
  batches: number;
  messages: number;
  produced: number;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Next offset to be written (log end). */
  end: string;
  /** Next offset the group will read; null when the group never committed. */
  committed: string | null;
  lag: number;
}

export interface TopicInfo {
  name: string;
  partitions: { partition: number; start: string; end: string }[];
}

export interface ReadOptions {
  /** Only messages from committed transactions (Kafka read_committed). Default true. */
  readCommitted?: boolean;
}

export interface CompactOptions {
  /**
   * Tombstones younger than this survive compaction so lagging readers still see the delete (Kafka's
   * delete.retention.ms). Default 1 day, Kafka's default.
   */
  tombstoneRetentionMs?: number;
  /** Clock for tests. */
  now?: number;
}

export interface CompactResult {
  /** Messages removed: superseded values, expired tombstones, records past their topic's retention. */
  removed: number;
  /** Bytes given back to the file system (0 where the broker cleans up on its own). */
  reclaimedBytes: number;
}

export interface Log {
  readonly kind: 'embedded' | 'kafka';
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  produce(messages: OutMessage[]): Promise<void>;
  process(options: ProcessOptions): Promise<ProcessResult>;
  /** Every message currently in a topic, partition by partition (tests, status, replays). */
  readAll(topic: string, options?: ReadOptions): Promise<LogMessage[]>;
  lag(group: string, topics: string[]): Promise<PartitionLag[]>;
  describe(topics?: string[]): Promise<TopicInfo[]>;
  /** Lists consumer groups with committed offsets on the given topics. */
  groups(): Promise<string[]>;
  deleteTopics(names: string[]): Promise<void>;
  /**
   * Log cleaning by each topic's spec: 'compact' topics keep the latest value per key (tombstones go
   * after `tombstoneRetentionMs`), 'delete' topics drop records past `retentionMs`. Offsets never go
   * back. The embedded log does it here and reclaims the space; Kafka's brokers do it themselves from
   * the configs `ensureTopics` set, so there it is a no-op.
   */
  compact(options?: CompactOptions): Promise<CompactResult>;
  close(): Promise<void>;
}

/** Partition of a key: murmur2 like Kafka's default partitioner, so both logs place keys alike. */
export function partitionForKey(key: string | null, partitions: number, fallback = 0): number {
  if (key === null) return fallback % partitions;
  return (toPositive(murmur2(Buffer.from(key))) % partitions) | 0;
}

function toPositive(x: number): number {
  return x & 0x7fffffff;
}

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), as kafkajs implements it. */
export function murmur2(data: Buffer): number {
  const length = data.length;
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  let h = seed ^ length;
  const length4 = Math.floor(length / 4);
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length % 4;
  const base = length - tail;
  if (tail === 3) h ^= (data[base + 2]! & 0xff) << 16;
  if (tail >= 2) h ^= (data[base + 1]! & 0xff) << 8;
  if (tail >= 1) {
    h ^= data[base]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}
