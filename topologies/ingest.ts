/**
 * The ingest topology: a connector's batches → the articles topic. Articles are produced keyed by
 * document id; a DeleteCitation becomes a tombstone (null value) on the same key; a record that did
 * not parse, or does not match its schema, goes to the dead-letter topic with the file, index and
 * reason (topologies/record-batch.ts). The connector's cursor is
 * saved only after its batch is in the log, so a crash replays at most one batch, harmlessly
 * (deterministic keys; compaction and the idempotent store absorb the repeat).
 *
 *   const stats = await runIngest({ log, connector, cursors, topics });
 */
import type { SkippedInput } from '../connectors/connector.js';
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { Log, OutMessage } from '../src/log/log.js';
import type { ParsedRecord } from '../src/parse/parsed-record.js';
import { recordMessage, tombstoneMessage } from '../src/records/encode.js';
import { recordProblems } from '../src/records/schemas.js';
import { LitmineError } from '../src/errors.js';
import { timeBatch } from '../src/observability/metrics.js';
import { type DeadLetterOrigin, RecordBatch } from './record-batch.js';
import { MAX_RECORD_BYTES, OVERSIZED_EXCERPT_BYTES } from './topics.js';

const STAGE = 'ingest';

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
    skippedInputs?: SkippedInput[];
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
  /** Articles kept although their bytes held invalid UTF-8: U+FFFD characters in them, per file. */
  invalidUtf8?: InvalidUtf8Stats;
  /** Inputs left out because they cannot be read (a dangling symbolic link), each with its code. */
  skippedInputs?: SkippedInput[];
  /** Records sent to the dead-letter topic: per file, how many under each error code. */
  deadLettered?: Record<string, Record<string, number>>;
  /** Articles kept with control characters dropped from their texts: how many, per file. */
  controlCharacters?: InvalidUtf8Stats;
}

/** Adds one ingest's skipped inputs and dead-lettered files to another's (a run over several connectors). */
export function addIngestProblems(into: IngestStats, from: IngestStats): void {
  if (from.skippedInputs?.length) (into.skippedInputs ??= []).push(...from.skippedInputs);
  for (const [file, codes] of Object.entries(from.deadLettered ?? {}))
    for (const [code, n] of Object.entries(codes)) addDeadLetter(into, file, code, n);
  if (from.controlCharacters) addCharacters((into.controlCharacters ??= { articles: 0, characters: 0, files: {} }), from.controlCharacters);
}

function addCharacters(to: InvalidUtf8Stats, from: InvalidUtf8Stats): void {
  to.articles += from.articles;
  to.characters += from.characters;
  for (const [file, n] of Object.entries(from.files)) to.files[file] = (to.files[file] ?? 0) + n;
}

function addDeadLetter(into: IngestStats, file: string, code: string, n = 1): void {
  const codes = ((into.deadLettered ??= {})[file] ??= {});
  codes[code] = (codes[code] ?? 0) + n;
}

export interface InvalidUtf8Stats {
  articles: number;
  characters: number;
  files: Record<string, number>;
}

export function addInvalidUtf8(into: IngestStats, from: InvalidUtf8Stats | undefined): void {
  if (!from) return;
  const to = (into.invalidUtf8 ??= { articles: 0, characters: 0, files: {} });
  to.articles += from.articles;
  to.characters += from.characters;
  for (const [file, n] of Object.entries(from.files)) to.files[file] = (to.files[file] ?? 0) + n;
}

/** The run summary's words for it: "; 2 articles with invalid UTF-8 kept, 3 characters replaced by U+FFFD (a.xml: 2, b.xml: 1)". */
export function invalidUtf8Note(s: InvalidUtf8Stats | undefined): string {
  if (!s || s.articles === 0) return '';
  const files = Object.entries(s.files);
  const where = files.slice(0, 5).map(([f, n]) => `${f}: ${n}`);
  if (files.length > 5) where.push(`${files.length - 5} more files`);
  return `; ${s.articles} article${s.articles === 1 ? '' : 's'} with invalid UTF-8 kept, ${s.characters} character${s.characters === 1 ? '' : 's'} replaced by U+FFFD (${where.join(', ')})`;
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
    const out = await timeBatch(STAGE, async () => {
      const messages = RecordBatch.of(STAGE, batch.records).map((record) => toMessage(record, topics), 'LITMINE_RECORD_INVALID');
      const produced = messages.values;
      const deletes = produced.filter((m) => m.value === null).length;
      const counts = { articles: produced.length - deletes, deletes, errors: messages.failed.length };
      for (const into of [stats, perSource]) {
        into.articles += counts.articles;
        into.deletes += counts.deletes;
        into.errors += counts.errors;
      }
      for (const record of batch.records) {
        if (record.kind !== 'article') continue;
        const file = record.article.origin?.file ?? batch.source;
        const damage = (n: number) => ({ articles: 1, characters: n, files: { [file]: n } });
        if (record.replacementChars) addInvalidUtf8(stats, damage(record.replacementChars));
        if (record.controlChars)
          addCharacters((stats.controlCharacters ??= { articles: 0, characters: 0, files: {} }), damage(record.controlChars));
      }
      for (const { source, error } of messages.failed) addDeadLetter(stats, recordOrigin(source).source.file ?? batch.source, error.code);
      return messages.route({ outputs: produced, deadLetters: { topic: topics.deadLetters, describe: recordOrigin } });
    });
    if (batch.skippedInputs?.length) (stats.skippedInputs ??= []).push(...batch.skippedInputs);
    if (out.length > 0) await log.produce(out);
    await cursors.set(batch.cursorKey ?? batch.source, batch.cursor);
    for (const [reason, n] of Object.entries(batch.skipped ?? {})) stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
    stats.batches++;
    options.onBatch?.(stats);
    if (options.signal?.aborted) break;
  }
  return stats;
}

/** An article (schema-checked) or a delete becomes its message; an error record is thrown to be marked. */
function toMessage(record: ParsedRecord, topics: LitmineConfig['topics']): OutMessage {
  if (record.kind === 'error') throw record.error;
  if (record.kind === 'delete') return tombstoneMessage(topics.articles, record.delete.id, 'litmine.article-delete');
  const problems = recordProblems(record.article);
  if (problems.length > 0) throw new LitmineError('LITMINE_RECORD_INVALID', `${problems.slice(0, 5).join('; ')}`);
  const message = recordMessage(topics.articles, record.article.id, record.article);
  const bytes = message.value?.length ?? 0;
  if (bytes <= MAX_RECORD_BYTES) return message;
  // Over the topic's message limit: dead-lettered with a bounded excerpt (recordOrigin) instead of failing the produce.
  throw new LitmineError(
    'LITMINE_RECORD_TOO_LARGE',
    `${bytes} bytes of JSON, over the limit of ${MAX_RECORD_BYTES}; the dead letter holds its first ${OVERSIZED_EXCERPT_BYTES} bytes`,
  );
}

/** Where a parsed record came from: its file and index, with its bytes (raw XML, or the invalid article). */
function recordOrigin(record: ParsedRecord): DeadLetterOrigin {
  if (record.kind === 'error') return { source: { file: record.file, index: record.index }, key: null, value: record.raw ?? null };
  const id = record.kind === 'article' ? record.article.id : record.delete.id;
  const file = record.kind === 'article' ? record.article.origin?.file : undefined;
  return {
    source: { file, index: record.index },
    key: id,
    value: record.kind === 'article' ? boundedJson(record.article) : null,
    label: `${file ?? '?'}: record ${record.index} (${id})`,
  };
}

/** The article's JSON, or its first OVERSIZED_EXCERPT_BYTES bytes when it is over the record limit. */
function boundedJson(article: unknown): Buffer | string {
  const json = JSON.stringify(article);
  return json.length * 3 <= MAX_RECORD_BYTES ? json : Buffer.from(json).subarray(0, OVERSIZED_EXCERPT_BYTES);
}
