/**
 * Builds the dead-letter message for a record a stage could not process: the original bytes, the
 * stage, the error code and message, and where it was read from. The stream goes on without it.
 *
 *   out.push(deadLetterMessage(topics.deadLetters, 'annotate', err, { topic, partition, offset }, key, value));
 */
import { asLitmineError } from '../errors.js';
import type { OutMessage } from '../log/log.js';
import { SCHEMA_VERSION, type DeadLetter } from '../records/types.js';

export function deadLetterMessage(
  topic: string,
  stage: string,
  error: unknown,
  source: DeadLetter['source'],
  key: string | null,
  value: Buffer | string | null,
  now: Date = new Date(),
): OutMessage {
  const e = asLitmineError(error);
  const bytes = value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value);
  const record: DeadLetter = {
    schema: 'litmine.dead-letter',
    schemaVersion: SCHEMA_VERSION,
    stage,
    code: e.code,
    message: e.message,
    source,
    key,
    valueBase64: bytes === null ? null : bytes.toString('base64'),
    failedAt: now.toISOString(),
  };
  return {
    topic,
    key,
    value: Buffer.from(JSON.stringify(record)),
    headers: {
      'litmine.schema': record.schema,
      'litmine.schema-version': String(SCHEMA_VERSION),
      'litmine.stage': stage,
      'litmine.error-code': e.code,
    },
  };
}
