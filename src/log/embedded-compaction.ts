/**
 * Log cleaning for the embedded log, what Kafka's log cleaner and retention do on a broker: compacted
 * topics keep the latest value per key, tombstones and 'delete' topics' records expire by age (a
 * 'compact,delete' topic gets both), and the freed pages go back to the file system. Called by
 * `EmbeddedLog.compact()` (the `Log` seam).
 */
import type Database from 'better-sqlite3';
import type { CompactOptions, TopicSpec } from './log.js';

/** Kafka's delete.retention.ms default: how long a tombstone outlives the values it deleted. */
const TOMBSTONE_RETENTION_MS = 86_400_000;
/** A file without incremental auto-vacuum is rewritten (VACUUM) once this share of it is free. */
const VACUUM_FREE_SHARE = 0.25;

interface CleanupTopic {
  name: string;
  cleanup: TopicSpec['cleanup'];
  retention_ms: number;
}

/** Deletes what each topic's cleanup policy no longer keeps; run inside one write transaction. */
export function deleteExpired(db: Database.Database, options: CompactOptions = {}): number {
  const now = options.now ?? Date.now();
  const tombstoneHorizon = now - (options.tombstoneRetentionMs ?? TOMBSTONE_RETENTION_MS);
  // Latest offset per (partition, key) via one grouped scan: no index on key needed, O(n log n).
  const superseded = db.prepare(
    `DELETE FROM messages WHERE topic = @topic AND key IS NOT NULL AND (partition, offset) NOT IN (
       SELECT partition, MAX(offset) FROM messages WHERE topic = @topic AND key IS NOT NULL GROUP BY partition, key)`,
  );
  const oldTombstones = db.prepare('DELETE FROM messages WHERE topic = ? AND value IS NULL AND timestamp < ?');
  const expired = db.prepare('DELETE FROM messages WHERE topic = ? AND timestamp < ?');
  // The log start moves to the first retained message (or the end when none is left).
  const moveStart = db.prepare(
    `UPDATE partitions SET start_offset = COALESCE(
       (SELECT MIN(offset) FROM messages WHERE messages.topic = partitions.topic
          AND messages.partition = partitions.partition), next_offset)
     WHERE topic = ?`,
  );
  let removed = 0;
  for (const t of db.prepare<[], CleanupTopic>('SELECT name, cleanup, retention_ms FROM topics').all()) {
    if (t.cleanup !== 'delete') {
      removed += superseded.run({ topic: t.name }).changes;
      removed += oldTombstones.run(t.name, tombstoneHorizon).changes;
    }
    if (t.cleanup !== 'compact' && t.retention_ms >= 0) {
      removed += expired.run(t.name, now - t.retention_ms).changes;
    }
    moveStart.run(t.name);
  }
  return removed;
}

/**
 * Gives free pages back to the file system, outside any transaction. Files created with incremental
 * auto-vacuum release them at once; an older file is rewritten (VACUUM, which also switches it to
 * incremental) only when enough of it is free to be worth the copy. Returns the bytes reclaimed.
 */
export function reclaimSpace(db: Database.Database): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pagesBefore = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (free > 0) {
    if ((db.pragma('auto_vacuum', { simple: true }) as number) === 2) {
      db.pragma('incremental_vacuum');
    } else if (free >= pagesBefore * VACUUM_FREE_SHARE) {
      db.pragma('auto_vacuum = INCREMENTAL');
      db.exec('VACUUM');
    }
  }
  // The WAL holds copies of the rewritten pages until a checkpoint; truncate it too.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return Math.max(0, pagesBefore - (db.pragma('page_count', { simple: true }) as number)) * pageSize;
}
