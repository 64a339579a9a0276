/**
 * The embedded log: Kafka's model (topics, keyed partitions, offsets, consumer groups) in one
 * SQLite file, the default seam on a single machine. A batch's outputs and its offset commit are one
 * SQLite transaction, so a crash never half-applies a batch: that is the embedded exactly-once.
 * Here: topics, produce, the consumer loop with its partition leases, and reads; the tables are in
 * embedded-schema.ts, log cleaning in embedded-compaction.ts, error codes in embedded-errors.ts.
 *
 *   const log = openEmbeddedLog('data/log.sqlite');
 *   await log.ensureTopics([{ name: 'litmine.articles', partitions: 3, cleanup: 'compact' }]);
 *   await log.process({ group: 'annotate', topics: ['litmine.articles'], handler, untilIdle: true });
 */
import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LitmineError, isRetriable } from '../errors.js';
import { batchLength } from './batch-cut.js';
import { deleteExpired, reclaimSpace } from './embedded-compaction.js';
import { wrapSqlite } from './embedded-errors.js';
import { type MessageRow, SCHEMA, type TopicRow, toLogMessage } from './embedded-schema.js';
import type {
  BatchContext,
  CompactOptions,
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
import { leaseHolderDead } from './lease-owner.js';
import { leaseOwner } from './lease-owner.js';
import { headersWithPartitionKey, partitionForKey } from './log.js';
import { RetryAborted, retryBatch, sleep } from './retry-batch.js';

export interface EmbeddedLogOptions {
  /** SQLite file; its folder is created. ':memory:' works for a single-process log. */
  path: string;
  /** How long a writer waits for another process's write lock (ms). Default 10000. */
  busyTimeoutMs?: number;
  /** Idle poll interval of `process` when not `untilIdle` (ms); same-process produces wake it at once. */
  pollMs?: number;
  /** A partition lease lasts this long without a batch or heartbeat (ms). Default 30000. */
  leaseMs?: number;
  /**
   * 'full' fsyncs every commit (survives power loss); 'normal' only survives a process crash.
   * Default 'full': offsets are committed on the strength of this write.
   */
  synchronous?: 'full' | 'normal';
}

interface Assignment {
  topic: string;
  partition: number;
}

export class EmbeddedLog implements Log {
  readonly kind = 'embedded' as const;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  /** Same-process produces wake idle consumers without waiting for the poll. */
  private readonly wake = new EventEmitter();
  private readonly running = new Set<{ abort: AbortController; done: Promise<unknown> }>();
  private roundRobin = 0;
  private closed = false;
  /** This process's leases and when they expire, so idle polling does not write (and fsync) each round. */
  private readonly held = new Map<string, number>();

  constructor(options: EmbeddedLogOptions) {
    this.path = options.path;
    this.pollMs = options.pollMs ?? 100;
    this.leaseMs = options.leaseMs ?? 30_000;
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    try {
      this.db = new Database(options.path);
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
      // Before the first table: a new file gives pages freed by compaction back incrementally.
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before it returns, in WAL mode too. Durability end to end rests on
      // it: annotate's outputs and offsets are one commit, and index commits its offsets only after
      // the store's write has returned, so that write must be as durable (FULL on the embedded store,
      // the translog fsync Elasticsearch does per bulk request) or a power loss after the offset
      // commit loses it. NORMAL in WAL mode can drop the last commits on power loss, never on a crash.
      this.db.pragma(`synchronous = ${(options.synchronous ?? 'full').toUpperCase()}`);
      this.db.exec(SCHEMA);
    } catch (err) {
      throw wrapSqlite(err, `cannot open the embedded log at ${options.path}`, this.path);
    }
    this.wake.setMaxListeners(0);
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
        throw new LitmineError('LITMINE_LOG_PROTOCOL', `topic ${spec.name}: partitions must be a positive integer`);
      }
    }
    // Like Kafka's CreateTopics: an existing topic is left as it is (adding partitions would move keys).
    this.write(() => {
      const insertTopic = this.db.prepare('INSERT OR IGNORE INTO topics (name, partitions, cleanup, retention_ms) VALUES (?, ?, ?, ?)');
      const insertPartition = this.db.prepare(
        'INSERT OR IGNORE INTO partitions (topic, partition, start_offset, next_offset) VALUES (?, ?, 0, 0)',
      );
      for (const spec of specs) {
        const created = insertTopic.run(spec.name, spec.partitions, spec.cleanup, spec.retentionMs ?? -1).changes > 0;
        if (created) for (let p = 0; p < spec.partitions; p++) insertPartition.run(spec.name, p);
      }
    }, 'ensureTopics');
  }

  async produce(messages: OutMessage[]): Promise<void> {
    if (messages.length === 0) return;
    this.write(() => this.append(messages), 'produce');
    this.wake.emit('produced');
  }

  async process(options: ProcessOptions): Promise<ProcessResult> {
    this.assertOpen();
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (options.signal?.aborted) abort.abort();
    const entry = { abort, done: Promise.resolve() as Promise<unknown> };
    const run = this.runProcess(options, abort.signal);
    entry.done = run.catch(() => undefined);
    this.running.add(entry);
    try {
      return await run;
    } finally {
      this.running.delete(entry);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  private async runProcess(options: ProcessOptions, signal: AbortSignal): Promise<ProcessResult> {
    const result: ProcessResult = { batches: 0, messages: 0, produced: 0 };
    const owner = leaseOwner(options.workerId ?? 'worker');
    const maxBatch = options.maxBatchSize ?? 100;
    const fromBeginning = options.fromBeginning ?? true;
    for (const topic of options.topics) this.topic(topic); // unknown topics fail fast
    // Where a group without a committed offset starts when fromBeginning is false: the end as of now.
    const initial = new Map<string, number>();
    const startPosition = (a: Assignment): number => {
      const id = `${a.topic}/${a.partition}`;
      let pos = initial.get(id);
      if (pos === undefined) {
        const row = this.partitionRow(a.topic, a.partition);
        pos = fromBeginning ? row.start_offset : row.next_offset;
        initial.set(id, pos);
      }
      return pos;
    };
    const selectBatch = this.db.prepare<[string, number, number, number], MessageRow>(
      'SELECT * FROM messages WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?',
    );
    try {
      while (!signal.aborted) {
        let progressed = false;
        /** Partitions another live worker holds while they still have messages to read. */
        let heldElsewhere = 0;
        for (const a of this.assignments(options.topics)) {
          if (signal.aborted) break;
          if (!this.claimLease(options.group, a, owner)) {
            if (this.hasPending(options.group, a, startPosition)) heldElsewhere++;
            continue;
          }
          const committed = this.committed(options.group, a);
          const position = committed ?? startPosition(a);
          const fetched = selectBatch.all(a.topic, a.partition, position, maxBatch);
          if (fetched.length === 0) continue;
          const rows = fetched.slice(
            0,
            batchLength(
              fetched.map((r) => r.value?.length ?? 0),
              { maxMessages: maxBatch, maxBytes: options.maxBatchBytes },
            ),
          );
          const batch = rows.map(toLogMessage);
          const next = rows[rows.length - 1]!.offset + 1;
          const context: BatchContext = {
            heartbeat: async () => {
              this.claimLease(options.group, a, owner, true);
            },
            signal,
          };
          let outcome: { produced: number } | 'lost';
          try {
            outcome = await retryBatch(
              async () => {
                const out = await options.handler(batch, context);
                return this.commitBatch(options.group, a, owner, committed, next, out);
              },
              { signal, retry: options.retry, onRetry: options.onRetry },
            );
          } catch (err) {
            if (err instanceof RetryAborted) break; // stopping: the batch stays uncommitted
            throw err;
          }
          progressed = true;
          if (outcome === 'lost') continue; // another worker committed this range first
          result.batches++;
          result.messages += batch.length;
          result.produced += outcome.produced;
          if (outcome.produced > 0) this.wake.emit('produced');
        }
        if (signal.aborted) break;
        if (!progressed) {
          // "Idle" means caught up: work another worker is still doing (or a lease it has not yet
          // released) is not "no work", so wait for it rather than report an empty run.
          if (options.untilIdle && heldElsewhere === 0) break;
          await this.waitForWork(signal);
        }
      }
    } finally {
      this.releaseLeases(options.group, owner);
    }
    return result;
  }

  /**
   * Produces a batch's outputs and moves the group's offset in one IMMEDIATE transaction. The
   * offset moves only if it still is where this batch started (a compare-and-set), so a worker whose
   * lease expired mid-batch cannot commit over the one that took the partition over.
   */
  private commitBatch(
    group: string,
    a: Assignment,
    owner: string,
    expected: number | null,
    next: number,
    out: OutMessage[],
  ): { produced: number } | 'lost' {
    return this.write(() => {
      const current = this.committed(group, a);
      if (current !== expected) return 'lost' as const;
      const lease = this.db
        .prepare<[string, string, number], { owner: string }>('SELECT owner FROM leases WHERE grp = ? AND topic = ? AND partition = ?')
        .get(group, a.topic, a.partition);
      if (lease && lease.owner !== owner) return 'lost' as const;
      this.append(out);
      this.db
        .prepare(
          `INSERT INTO group_offsets (grp, topic, partition, next_offset) VALUES (?, ?, ?, ?)
           ON CONFLICT (grp, topic, partition) DO UPDATE SET next_offset = excluded.next_offset`,
        )
        .run(group, a.topic, a.partition, next);
      return { produced: out.length };
    }, 'commit');
  }

  async readAll(topic: string, _options?: ReadOptions): Promise<LogMessage[]> {
    // SQLite readers never see an uncommitted transaction: read_committed is all there is.
    this.topic(topic);
    const rows = this.db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE topic = ? ORDER BY partition, offset').all(topic);
    return rows.map(toLogMessage);
  }

  async lag(group: string, topics: string[]): Promise<PartitionLag[]> {
    const out: PartitionLag[] = [];
    for (const a of this.assignments(topics)) {
      const row = this.partitionRow(a.topic, a.partition);
      const committed = this.committed(group, a);
      // A group that never committed still has everything retained to read.
      const lag = row.next_offset - Math.max(committed ?? row.start_offset, row.start_offset);
      out.push({
        topic: a.topic,
        partition: a.partition,
        end: String(row.next_offset),
        committed: committed === null ? null : String(committed),
        lag: Math.max(0, lag),
      });
    }
    return out;
  }

  async describe(topics?: string[]): Promise<TopicInfo[]> {
    const names =
      topics ??
      this.db
        .prepare<[], { name: string }>('SELECT name FROM topics ORDER BY name')
        .all()
        .map((r) => r.name);
    return names.map((name) => {
      this.topic(name);
      const parts = this.db
        .prepare<[string], { partition: number; start_offset: number; next_offset: number }>(
          'SELECT partition, start_offset, next_offset FROM partitions WHERE topic = ? ORDER BY partition',
        )
        .all(name);
      return {
        name,
        partitions: parts.map((p) => ({ partition: p.partition, start: String(p.start_offset), end: String(p.next_offset) })),
      };
    });
  }

  async groups(): Promise<string[]> {
    return this.db
      .prepare<[], { grp: string }>('SELECT DISTINCT grp FROM group_offsets ORDER BY grp')
      .all()
      .map((r) => r.grp);
  }

  async deleteTopics(names: string[]): Promise<void> {
    this.write(() => {
      for (const name of names) {
        for (const table of ['messages', 'partitions', 'group_offsets', 'leases']) {
          this.db.prepare(`DELETE FROM ${table} WHERE topic = ?`).run(name);
        }
        this.db.prepare('DELETE FROM topics WHERE name = ?').run(name);
      }
    }, 'deleteTopics');
  }

  /** Log cleaning by the topics' specs, then the freed space goes back to the file system. */
  async compact(options: CompactOptions = {}): Promise<CompactResult> {
    const removed = this.write(() => deleteExpired(this.db, options), 'compact');
    if (removed === 0) return { removed, reclaimedBytes: 0 };
    try {
      return { removed, reclaimedBytes: reclaimSpace(this.db) };
    } catch (err) {
      throw wrapSqlite(err, 'embedded log space reclaim failed', this.path);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Running consumers finish their batch and release their leases before the file closes.
    for (const r of this.running) r.abort.abort();
    await Promise.all([...this.running].map((r) => r.done));
    this.closed = true;
    this.wake.emit('produced');
    this.db.close();
  }

  // ---- internals ----

  private append(messages: OutMessage[]): void {
    const now = Date.now();
    const insert = this.db.prepare(
      'INSERT INTO messages (topic, partition, offset, key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const bump = this.db.prepare<[string, number], { next_offset: number }>(
      'UPDATE partitions SET next_offset = next_offset + 1 WHERE topic = ? AND partition = ? RETURNING next_offset',
    );
    for (const m of messages) {
      const t = this.topic(m.topic);
      if (m.key === null && t.cleanup !== 'delete') {
        // As Kafka's broker does: compaction keeps the latest value per key, so a key is required.
        throw new LitmineError('LITMINE_LOG_PROTOCOL', `topic ${m.topic} is compacted: a message needs a key`);
      }
      // Null keys spread round-robin, as Kafka spreads keyless records.
      const partition = partitionForKey(m.partitionKey ?? m.key, t.partitions, this.roundRobin++);
      const row = bump.get(m.topic, partition);
      if (!row) throw new LitmineError('LITMINE_LOG_PROTOCOL', `topic ${m.topic} has no partition ${partition}`);
      const written = headersWithPartitionKey(m);
      const headers = written && Object.keys(written).length > 0 ? JSON.stringify(written) : null;
      insert.run(m.topic, partition, row.next_offset - 1, m.key, m.value, headers, now);
    }
  }

  private write<T>(fn: () => T, what: string): T {
    this.assertOpen();
    try {
      // IMMEDIATE takes the write lock up front: two processes never deadlock upgrading a read lock.
      return this.db.transaction(fn).immediate();
    } catch (err) {
      throw wrapSqlite(err, `embedded log ${what} failed`, this.path);
    }
  }

  private topic(name: string): TopicRow {
    this.assertOpen();
    const row = this.db.prepare<[string], TopicRow>('SELECT * FROM topics WHERE name = ?').get(name);
    if (!row) throw new LitmineError('LITMINE_LOG_PROTOCOL', `unknown topic ${name} (create it with ensureTopics)`);
    return row;
  }

  private partitionRow(topic: string, partition: number): { start_offset: number; next_offset: number } {
    const row = this.db
      .prepare<[string, number], { start_offset: number; next_offset: number }>(
        'SELECT start_offset, next_offset FROM partitions WHERE topic = ? AND partition = ?',
      )
      .get(topic, partition);
    if (!row) throw new LitmineError('LITMINE_LOG_PROTOCOL', `unknown partition ${topic}/${partition}`);
    return row;
  }

  private assignments(topics: string[]): Assignment[] {
    const out: Assignment[] = [];
    for (const name of topics) {
      const t = this.topic(name);
      for (let p = 0; p < t.partitions; p++) out.push({ topic: name, partition: p });
    }
    return out;
  }

  private committed(group: string, a: Assignment): number | null {
    const row = this.db
      .prepare<[string, string, number], { next_offset: number }>(
        'SELECT next_offset FROM group_offsets WHERE grp = ? AND topic = ? AND partition = ?',
      )
      .get(group, a.topic, a.partition);
    return row ? row.next_offset : null;
  }

  /** The group has messages left to read on this partition. */
  private hasPending(group: string, a: Assignment, startPosition: (a: Assignment) => number): boolean {
    const position = this.committed(group, a) ?? startPosition(a);
    return this.partitionRow(a.topic, a.partition).next_offset > position;
  }

  /** Takes or renews this owner's lease on a group partition; false while another live owner holds it. */
  private claimLease(group: string, a: Assignment, owner: string, force = false): boolean {
    const now = Date.now();
    const id = `${owner}\u0000${group}\u0000${a.topic}\u0000${a.partition}`;
    // Nobody can take a lease that is still valid for half its term, so there is nothing to write.
    if (!force && (this.held.get(id) ?? 0) - now > this.leaseMs / 2) return true;
    try {
      const changes = this.db
        .prepare(
          `INSERT INTO leases (grp, topic, partition, owner, expires_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (grp, topic, partition) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE leases.owner = excluded.owner OR leases.expires_at < ?`,
        )
        .run(group, a.topic, a.partition, owner, now + this.leaseMs, now).changes;
      let taken = changes > 0;
      if (!taken) taken = this.takeOverDeadLease(group, a, owner, now);
      if (taken) this.held.set(id, now + this.leaseMs);
      else this.held.delete(id);
      return taken;
    } catch (err) {
      const wrapped = wrapSqlite(err, 'embedded log lease failed', this.path);
      if (isRetriable(wrapped)) return false; // busy: try this partition on the next round
      throw wrapped;
    }
  }

  /** A lease whose holder process died on this host is free now, not when it expires. */
  private takeOverDeadLease(group: string, a: Assignment, owner: string, now: number): boolean {
    const row = this.db
      .prepare<[string, string, number], { owner: string }>('SELECT owner FROM leases WHERE grp = ? AND topic = ? AND partition = ?')
      .get(group, a.topic, a.partition);
    if (!row || !leaseHolderDead(row.owner)) return false;
    const changes = this.db
      .prepare('UPDATE leases SET owner = ?, expires_at = ? WHERE grp = ? AND topic = ? AND partition = ? AND owner = ?')
      .run(owner, now + this.leaseMs, group, a.topic, a.partition, row.owner).changes;
    return changes > 0;
  }

  private releaseLeases(group: string, owner: string): void {
    for (const id of this.held.keys()) if (id.startsWith(`${owner}\u0000`)) this.held.delete(id);
    if (this.closed || !this.db.open) return;
    try {
      this.db.prepare('DELETE FROM leases WHERE grp = ? AND owner = ?').run(group, owner);
    } catch {
      // Leases expire by themselves; a busy file must not turn a clean stop into an error.
    }
  }

  private async waitForWork(signal: AbortSignal): Promise<void> {
    const inner = new AbortController();
    const onWake = () => inner.abort();
    const onAbort = () => inner.abort();
    this.wake.once('produced', onWake);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await sleep(this.pollMs, inner.signal);
    } finally {
      this.wake.off('produced', onWake);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new LitmineError('LITMINE_LOG_UNAVAILABLE', `embedded log ${this.path} is closed`, { retriable: false });
  }
}

export function openEmbeddedLog(path: string, options: Omit<EmbeddedLogOptions, 'path'> = {}): EmbeddedLog {
  return new EmbeddedLog({ ...options, path });
}
