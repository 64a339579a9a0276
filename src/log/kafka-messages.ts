/**
 * Conversions between the log seam's messages and kafkajs's: outputs grouped by topic for
 * sendBatch, fetched messages as LogMessage with string keys and headers.
 */
import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import type { LogMessage, OutMessage } from './log.js';

export function toTopicMessages(messages: OutMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push({ key: m.key, value: m.value, headers: m.headers });
    byTopic.set(m.topic, list);
  }
  return [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs }));
}

export function toLogMessage(topic: string, partition: number, m: KafkaMessage): LogMessage {
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
