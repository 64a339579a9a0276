/**
 * Conversions between the log seam's messages and kafkajs's: outputs grouped by topic for
 * sendBatch, fetched messages as LogMessage with string keys and headers, and the partitioner
 * that honours a message's partition key.
 */
import { type ICustomPartitioner, type IHeaders, type KafkaMessage, type Message, Partitioners, type TopicMessages } from 'kafkajs';
import { headersWithPartitionKey, type LogMessage, type OutMessage, PARTITION_KEY_HEADER } from './log.js';

export function toTopicMessages(messages: OutMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push({ key: m.key, value: m.value, headers: headersWithPartitionKey(m) });
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

/**
 * Kafka's default partitioner (murmur2 of the key, as `partitionForKey`), fed the partition-key
 * header instead of the key when a message has one: both logs place every message alike.
 */
export const partitionKeyPartitioner: ICustomPartitioner = () => {
  const byKey = Partitioners.DefaultPartitioner();
  return ({ topic, partitionMetadata, message }) => {
    const header = message.headers?.[PARTITION_KEY_HEADER];
    const partitionKey = Array.isArray(header) ? header[header.length - 1] : header;
    return byKey({ topic, partitionMetadata, message: partitionKey === undefined ? message : { ...message, key: partitionKey } });
  };
};
