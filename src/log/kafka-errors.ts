/**
 * Kafka errors as litmine's coded errors: connection trouble and exhausted retries become
 * LITMINE_LOG_UNAVAILABLE (wait it out), the rest LITMINE_LOG_PROTOCOL; rebalance refusals mark a
 * batch revoked. Used by every part of the Kafka log (src/log/kafka-*.ts).
 */
import { LitmineError } from '../errors.js';

/** Commit refusals that mean "this member lost the partition in a rebalance", not "broken". */
const REBALANCE_ERRORS = ['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'FENCED_INSTANCE_ID'];

export function isRebalanceError(err: unknown): boolean {
  return REBALANCE_ERRORS.some((type) => hasErrorType(err, type));
}

/** A batch whose partition was taken away before its offsets could be committed. */
export class BatchRevoked extends Error {
  constructor(cause: unknown) {
    super('partition revoked before the batch was committed', { cause });
    this.name = 'BatchRevoked';
  }
}

export async function kafkaCall<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wrapKafka(err, what);
  }
}

export function hasErrorType(err: unknown, type: string): boolean {
  const e = err as { type?: string; errors?: unknown[]; cause?: unknown } | undefined;
  if (!e) return false;
  if (e.type === type) return true;
  return (e.errors ?? []).some((x) => hasErrorType(x, type)) || (e.cause !== err && hasErrorType(e.cause, type));
}

// KafkaJSGroupCoordinatorNotFound is "non-retriable" in kafkajs, but it is what a transaction or a
// consumer group gets while the broker is down or its coordinator is still loading after a restart.
const CONNECTION_ERRORS = [
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionClosedError',
  'KafkaJSGroupCoordinatorNotFound',
];

/**
 * Connection trouble and exhausted retries of retriable errors mean "wait"; the rest is a rejection.
 * Once kafkajs gives up it wraps the last error in KafkaJSNumberOfRetriesExceeded or
 * KafkaJSNonRetriableError, with the connection error in `cause` (or `originalError`), possibly
 * several levels down: the whole chain is searched.
 */
export function wrapKafka(err: unknown, what: string): LitmineError {
  if (err instanceof LitmineError) return err;
  const e = err as { name?: string; message?: string } | undefined;
  // Fencing means another worker now owns this transactional id: retrying cannot help.
  const fenced = someInChain(err, (x) => /fenced|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/i.test(`${x.name} ${x.message} ${x.type ?? ''}`));
  const unavailable = someInChain(
    err,
    (x) => CONNECTION_ERRORS.includes(x.name ?? '') || (x.retriable === true && x.name !== 'KafkaJSNonRetriableError'),
  );
  return new LitmineError(
    unavailable && !fenced ? 'LITMINE_LOG_UNAVAILABLE' : 'LITMINE_LOG_PROTOCOL',
    `kafka ${what}: ${e?.message ?? String(err)}`,
    { cause: err },
  );
}

interface ChainLink {
  name?: string;
  message?: string;
  type?: string;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown[];
}

/** Walks cause, originalError and errors (aggregates), guarding against cycles. */
function someInChain(err: unknown, test: (link: ChainLink) => boolean, seen = new Set<unknown>()): boolean {
  if (!err || typeof err !== 'object' || seen.has(err)) return false;
  seen.add(err);
  const link = err as ChainLink;
  if (test(link)) return true;
  return [link.cause, link.originalError, ...(Array.isArray(link.errors) ? link.errors : [])].some((next) => someInChain(next, test, seen));
}
