/**
 * Record ⇄ log message bytes: JSON values, with the schema name and version in headers too so a
 * consumer can route without parsing the value.
 *
 *   const msg = recordMessage('litmine.articles', article.id, article);
 */
import type { OutMessage } from '../log/log.js';
import { LitmineError } from '../errors.js';
import { SCHEMA_VERSION } from './types.js';

export function recordMessage(topic: string, key: string, record: { schema: string; schemaVersion: number }): OutMessage {
  return {
    topic,
    key,
    value: Buffer.from(JSON.stringify(record)),
    headers: { 'litmine.schema': record.schema, 'litmine.schema-version': String(record.schemaVersion) },
  };
}

export function tombstoneMessage(topic: string, key: string, schema: string): OutMessage {
  return { topic, key, value: null, headers: { 'litmine.schema': schema, 'litmine.schema-version': String(SCHEMA_VERSION) } };
}

export function decodeRecord<T>(value: Buffer, where: string): T {
  try {
    return JSON.parse(value.toString('utf8')) as T;
  } catch (err) {
    throw new LitmineError('LITMINE_RECORD_INVALID', `${where}: value is not JSON (${(err as Error).message})`, { cause: err });
  }
}
