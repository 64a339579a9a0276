/**
 * How a Kafka batch's outputs and offsets are committed by `KafkaLog.process`: in one Kafka
 * transaction (outputs + sendOffsets + commit) for transactional groups, else outputs first
 * (acks=all) and the consumer's offset commit after them.
 */
import type { Consumer, Kafka, Producer, Transaction } from 'kafkajs';
import { BatchRevoked, isRebalanceError, kafkaCall, wrapKafka } from './kafka-errors.js';
import { partitionKeyPartitioner, toTopicMessages } from './kafka-messages.js';
import type { OutMessage } from './log.js';

export interface BatchCommitter {
  connect(): Promise<void>;
  /** Makes `outs` visible and moves the group's offset of topic/partition to `next`, together. */
  commit(topic: string, partition: number, next: string, outs: OutMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface TransactionalCommitOptions {
  kafka: Kafka;
  group: string;
  workerId: string;
  transactionTimeoutMs: number;
  beforeTransactionCommit?: () => Promise<void>;
}

/**
 * One transactional id per worker and group: a restarted worker with the same id fences its
 * predecessor and aborts the transaction that predecessor left open.
 */
export function transactionalCommitter(options: TransactionalCommitOptions): BatchCommitter {
  const newProducer = () =>
    options.kafka.producer({
      transactionalId: `litmine.${options.group}.${options.workerId}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: options.transactionTimeoutMs,
      createPartitioner: partitionKeyPartitioner,
    });
  let producer = newProducer();
  /** A transaction neither committed nor aborted (the broker went away): replace the producer. */
  let broken = false;

  const replaceBrokenProducer = async () => {
    // Same transactional id: the new producer's InitProducerId fences the old epoch and the
    // coordinator aborts whatever it left open, so nothing of the failed attempt is visible.
    await producer.disconnect().catch(() => undefined);
    producer = newProducer();
    await kafkaCall(() => producer.connect(), 'reconnect transactional producer');
    broken = false;
  };

  const abortAfter = async (txn: Transaction, err: unknown): Promise<never> => {
    const wrapped = wrapKafka(err, 'transaction');
    const aborted = await txn.abort().then(
      () => true,
      () => false,
    );
    if (!aborted || wrapped.retriable) broken = true;
    throw wrapped;
  };

  return {
    connect: () => kafkaCall(() => producer.connect(), 'connect transactional producer'),
    async commit(topic, partition, next, outs) {
      if (broken) await replaceBrokenProducer();
      const current = producer;
      const txn = await kafkaCall(() => current.transaction(), 'begin transaction');
      try {
        if (outs.length > 0) await txn.sendBatch({ topicMessages: toTopicMessages(outs), acks: -1 });
        await txn.sendOffsets({ consumerGroupId: options.group, topics: [{ topic, partitions: [{ partition, offset: next }] }] });
        await options.beforeTransactionCommit?.();
        await txn.commit();
      } catch (err) {
        await abortAfter(txn, err);
      }
    },
    disconnect: () => producer.disconnect().catch(() => undefined),
  };
}

/**
 * Outputs are durable (acks=all, idempotent) before the offset moves: at-least-once, and
 * deterministic output ids make the rare replay an overwrite.
 */
export function plainCommitter(producer: Producer, consumer: Consumer): BatchCommitter {
  return {
    connect: async () => undefined,
    async commit(topic, partition, next, outs) {
      if (outs.length > 0) await kafkaCall(() => producer.sendBatch({ topicMessages: toTopicMessages(outs), acks: -1 }), 'produce');
      try {
        await consumer.commitOffsets([{ topic, partition, offset: next }]);
      } catch (err) {
        if (isRebalanceError(err)) throw new BatchRevoked(err);
        throw wrapKafka(err, 'commit offsets');
      }
    },
    disconnect: async () => undefined,
  };
}
