/**
 * The ingest topology: a connector's batches → the articles topic. Articles are produced keyed by
 * document id; a DeleteCitation becomes a tombstone (null value) on the same key; a record that did
 * not parse goes to the dead-letter topic with the file, index and reason. The connector's cursor is
 * saved only after its batch is in the log, so a crash replays at most one batch, harmlessly
 * (deterministic keys; compaction and the idempotent store absorb the repeat).
 *
 *   const stats = await runIngest({ log, connector, cursors, topics });
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { Log, OutMessage } from '../src/log/log.js';
import type { ParsedRecord } from '../src/parse/parsed-record.js';
import { recordMessage, tombstoneMessage } from '../src/records/encode.js';
import { recordProblems } from '../src/records/schemas.js';
import { LitmineError } from '../src/errors.js';
import { deadLetterMessage } from '../src/stages/dead-letter.js';
import { MAX_RECORD_BYTES, OVERSIZED_EXCERPT_BYTES } from './topics.js';

/** What ingest needs of a connector (connectors/connector.ts implements it). */
export interface IngestConnector {
  readonly source: string;
  batches(options: { since?: string; until?: string; signal?: AbortSignal }): AsyncIterable<{
    records: ParsedRecord[];
    cursor: string;
    source: string;
    /** The key the cursor is saved under (defaults to the source). */
    cursorKey?: string;
    skipped?: Record<string, number>;
  }>;
}

export interface IngestCursorStore {
  set(source: string, cursor: string): Promise<void>;
}

export interface IngestStats {
  batches: number;
  articles: number;
  deletes: number;
  errors: number;
  /** Inputs left out on purpose, by reason (non-XML files, articles without a text-mining licence). */
  skipped: Record<string, number>;
  bySource: Record<string, { articles: number; deletes: number; errors: number }>;
}

export interface IngestOptions {
  log: Log;
  connector: IngestConnector;
  cursors: IngestCursorStore;
  topics: LitmineConfig['topics'];
  since?: string;
  until?: string;
  signal?: AbortSignal;
  onBatch?: (stats: IngestStats) => void;
}

export async function runIngest(options: IngestOptions): Promise<IngestStats> {
  const { log, connector, cursors, topics } = options;
  const stats: IngestStats = { batches: 0, articles: 0, deletes: 0, errors: 0, skipped: {}, bySource: {} };
  for await (const batch of connector.batches({ since: options.since, until: options.until, signal: options.signal })) {
    const perSource = (stats.bySource[batch.source] ??= { articles: 0, deletes: 0, errors: 0 });
    const out: OutMessage[] = [];
    for (const record of batch.records) {
      const message = toMessage(record, topics);
      out.push(message);
      if (message.topic === topics.deadLetters) {
        stats.errors++;
        perSource.errors++;
      } else if (message.value === null) {
        stats.deletes++;
        perSource.deletes++;
      } else {
        stats.articles++;
        perSource.articles++;
      }
    }
    if (out.length > 0) await log.produce(out);
    await cursors.set(batch.cursorKey ?? batch.source, batch.cursor);
    for (const [reason, n] of Object.entries(batch.skipped ?? {})) stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
    stats.batches++;
    options.onBatch?.(stats);
    if (options.signal?.aborted) break;
  }
  return stats;
}

function toMessage(record: ParsedRecord, topics: LitmineConfig['topics']): OutMessage {
  if (record.kind === 'article') {
    const problems = recordProblems(record.article);
    const origin = record.article.origin;
    if (problems.length === 0) {
      const message = recordMessage(topics.articles, record.article.id, record.article);
      if ((message.value?.length ?? 0) <= MAX_RECORD_BYTES) return message;
      const err = new LitmineError(
        'LITMINE_RECORD_TOO_LARGE',
        `${origin?.file ?? '?'}: record ${record.index} (${record.article.id}): ${message.value!.length} bytes of JSON, over the limit of ${MAX_RECORD_BYTES}; ` +
          `the dead letter holds its first ${OVERSIZED_EXCERPT_BYTES} bytes`,
      );
      return deadLetterMessage(
        topics.deadLetters,
        'ingest',
        err,
        { file: origin?.file, index: record.index },
        record.article.id,
        message.value!.subarray(0, OVERSIZED_EXCERPT_BYTES),
      );
    }
    const err = new LitmineError(
      'LITMINE_RECORD_INVALID',
      `${origin?.file ?? '?'}: record ${record.index} (${record.article.id}): ${problems.slice(0, 5).join('; ')}`,
    );
    return deadLetterMessage(
      topics.deadLetters,
      'ingest',
      err,
      { file: origin?.file, index: record.index },
      record.article.id,
      JSON.stringify(record.article),
    );
  }
  if (record.kind === 'delete') return tombstoneMessage(topics.articles, record.delete.id, 'litmine.article-delete');
  const file = /^([^:]+):/.exec(record.error.message)?.[1];
  return deadLetterMessage(topics.deadLetters, 'ingest', record.error, { file, index: record.index }, null, record.raw ?? null);
}
