/**
 * The embedded log's SQLite tables (topics, partitions, messages, group offsets, leases), the rows
 * read from them, and a message row as the seam's LogMessage. Used by embedded-log.ts.
 */
import type { LogMessage, TopicSpec } from './log.js';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS topics (
  name TEXT PRIMARY KEY,
  partitions INTEGER NOT NULL,
  cleanup TEXT NOT NULL,
  retention_ms INTEGER NOT NULL
);
-- start/next_offset survive deletes, so offsets never go back after retention or compaction.
CREATE TABLE IF NOT EXISTS partitions (
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  start_offset INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (topic, partition)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  key TEXT,
  value BLOB,
  headers TEXT,
  timestamp INTEGER NOT NULL,
  PRIMARY KEY (topic, partition, offset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_offsets (
  grp TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (grp, topic, partition)
) WITHOUT ROWID;
-- One owner per group partition at a time, so two worker processes split the work.
CREATE TABLE IF NOT EXISTS leases (
  grp TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (grp, topic, partition)
) WITHOUT ROWID;
`;

export interface TopicRow {
  name: string;
  partitions: number;
  cleanup: TopicSpec['cleanup'];
  retention_ms: number;
}

export interface MessageRow {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: string | null;
  timestamp: number;
}

export function toLogMessage(row: MessageRow): LogMessage {
  return {
    topic: row.topic,
    partition: row.partition,
    offset: String(row.offset),
    key: row.key,
    value: row.value,
    headers: row.headers ? (JSON.parse(row.headers) as Record<string, string>) : {},
    timestamp: row.timestamp,
  };
}

/**
 * SQLITE_BUSY / LOCKED (another process holds the file) is worth waiting out; a full disk is not:
 * retrying re-runs the batch's work forever, so it stops with the file system named.
 */
