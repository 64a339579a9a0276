import test from 'ava';
import { batchLength } from '../../src/log/batch-cut.js';

test('a batch ends at the message cap when no byte budget is set', (t) => {
  t.is(batchLength([5, 5, 5, 5], { maxMessages: 3 }), 3);
  t.is(batchLength([5, 5], { maxMessages: 3 }), 2);
});

test('a batch ends before the message that would pass the byte budget', (t) => {
  t.is(batchLength([400, 400, 400, 400], { maxMessages: 64, maxBytes: 1000 }), 2);
  t.is(batchLength([400, 600, 1], { maxMessages: 64, maxBytes: 1000 }), 2);
  t.is(batchLength([400, 601, 1], { maxMessages: 64, maxBytes: 1000 }), 1);
});

test('a message larger than the byte budget still goes, alone', (t) => {
  t.is(batchLength([5000, 1, 1], { maxMessages: 64, maxBytes: 1000 }), 1);
  t.is(batchLength([1, 5000], { maxMessages: 64, maxBytes: 1000 }), 1);
});

test('the message cap holds under a byte budget too', (t) => {
  t.is(batchLength([1, 1, 1, 1, 1], { maxMessages: 2, maxBytes: 1000 }), 2);
  t.is(batchLength([], { maxMessages: 2, maxBytes: 1000 }), 0);
});
