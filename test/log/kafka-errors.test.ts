/**
 * How kafkajs failures are coded. kafkajs's own error classes (no broker needed) in the shapes its
 * retrier and consumer produce: once it gives up, the connection error sits in `cause` (one or more
 * levels down), and that is still "the log is unavailable", never a protocol rejection.
 */
import test from 'ava';
import kafkajs from 'kafkajs';
import { isRetriable } from '../../src/errors.js';
import { wrapKafka } from '../../src/log/kafka-errors.js';

const {
  KafkaJSConnectionError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSError,
} = kafkajs as unknown as Record<string, new (...args: never[]) => Error>;

const refused = () =>
  new (KafkaJSConnectionError as never as new (m: string, o: object) => Error)('Connection error: connect ECONNREFUSED 127.0.0.1:29092', {
    broker: '127.0.0.1:29092',
    code: 'ECONNREFUSED',
  });

test('a connection error wrapped by exhausted retries is LITMINE_LOG_UNAVAILABLE (retriable)', (t) => {
  const exceeded = new (KafkaJSNumberOfRetriesExceeded as never as new (e: Error, o: object) => Error)(refused(), {
    retryCount: 8,
    retryTime: 10_000,
  });
  // The shape the issue saw: "kafka transaction: Connection error", cause two levels down.
  const giveUp = new (KafkaJSNonRetriableError as never as new (e: Error, o: object) => Error)(exceeded, { cause: exceeded });
  for (const err of [refused(), exceeded, giveUp]) {
    const wrapped = wrapKafka(err, 'transaction');
    t.is(wrapped.code, 'LITMINE_LOG_UNAVAILABLE', `${err.name}: ${err.message}`);
    t.true(isRetriable(wrapped));
    t.regex(wrapped.message, /^kafka transaction: .*ECONNREFUSED/);
  }
});

test('no group coordinator (the broker down, or its coordinator loading after a restart) is LITMINE_LOG_UNAVAILABLE', (t) => {
  // kafkajs throws this class, marked non-retriable and with no cause, when no broker answers FindCoordinator.
  const notFound = new (KafkaJSGroupCoordinatorNotFound as never as new (m: string) => Error)('Failed to find group coordinator');
  const wrapped = wrapKafka(notFound, 'transaction');
  t.is(wrapped.code, 'LITMINE_LOG_UNAVAILABLE');
  t.true(isRetriable(wrapped));
});

test('protocol rejections and fencing stay LITMINE_LOG_PROTOCOL (not retriable)', (t) => {
  const tooLarge = new (KafkaJSProtocolError as never as new (e: object) => Error)({
    message: 'The request included a message larger than the max message size the server will accept',
    type: 'MESSAGE_TOO_LARGE',
    code: 10,
    retriable: false,
  });
  const fenced = new (KafkaJSProtocolError as never as new (e: object) => Error)({
    message: 'There is a newer producer with the same transactionalId which fences the current one',
    type: 'PRODUCER_FENCED',
    code: 90,
    retriable: false,
  });
  const fencedAfterRetries = new (KafkaJSNonRetriableError as never as new (e: Error, o: object) => Error)(fenced, { cause: fenced });
  const plainRetriable = new (KafkaJSError as never as new (m: string) => Error)('request timed out');
  for (const err of [tooLarge, fenced, fencedAfterRetries]) {
    const wrapped = wrapKafka(err, 'produce');
    t.is(wrapped.code, 'LITMINE_LOG_PROTOCOL', err.message);
    t.false(isRetriable(wrapped));
  }
  t.is(wrapKafka(plainRetriable, 'produce').code, 'LITMINE_LOG_UNAVAILABLE');
});

test('a cyclic cause chain does not hang the classifier', (t) => {
  const a = new Error('a') as Error & { cause?: unknown };
  const b = new Error('b', { cause: a });
  a.cause = b;
  t.is(wrapKafka(a, 'produce').code, 'LITMINE_LOG_PROTOCOL');
});
