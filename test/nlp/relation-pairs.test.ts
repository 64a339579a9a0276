/** Relation candidates: compatible ordered pairs, never self or overlapping, and masking. */
import test from 'ava';
import { enumeratePairs, maskPair } from '../../src/nlp/relation-pairs.js';

const PAIRS = { 'Chemical|Gene': ['false', 'CPR:4'], 'Chemical|Disease': ['false', 'CID'], 'Gene|Disease': ['false', 'GAD'] };
const MASKS = { Chemical: '@CHEMICAL$', Gene: '@GENE$', Disease: '@DISEASE$' };

test('pairs follow pair_labels keys, subject type first', (t) => {
  const text = 'Aspirin inhibits COX-1 and causes ulcers; ibuprofen too.';
  const m = [
    { start: 0, end: 7, type: 'Chemical' },
    { start: 17, end: 22, type: 'Gene' },
    { start: 34, end: 40, type: 'Disease' },
    { start: 42, end: 51, type: 'Chemical' },
  ];
  const pairs = enumeratePairs(m, PAIRS).map((p) => `${p.subject}>${p.object}:${p.key}`);
  t.deepEqual(pairs, ['0>1:Chemical|Gene', '0>2:Chemical|Disease', '1>2:Gene|Disease', '3>1:Chemical|Gene', '3>2:Chemical|Disease']);
  t.is(maskPair(text, m[3]!, m[1]!, MASKS), 'Aspirin inhibits @GENE$ and causes ulcers; @CHEMICAL$ too.');
  t.is(maskPair(text, m[0]!, m[2]!, MASKS), '@CHEMICAL$ inhibits COX-1 and causes @DISEASE$; ibuprofen too.');
});

test('no self pairs, no overlapping pairs, no unknown type pairs', (t) => {
  const m = [
    { start: 0, end: 5, type: 'Chemical' },
    { start: 3, end: 8, type: 'Gene' },
    { start: 10, end: 12, type: 'Species' },
  ];
  t.deepEqual(enumeratePairs(m, PAIRS), []);
  t.deepEqual(
    enumeratePairs(
      [
        { start: 0, end: 5, type: 'Gene' },
        { start: 6, end: 9, type: 'Gene' },
      ],
      PAIRS,
    ),
    [],
  );
});

test('a long segment with many mentions keeps only the closest pairs, deterministically', (t) => {
  // 30 alternating Chemical/Gene mentions, 10 characters apart: 450 candidate ordered pairs.
  const many = Array.from({ length: 30 }, (_, i) => ({ start: i * 10, end: i * 10 + 5, type: i % 2 ? 'Gene' : 'Chemical' }));
  const all = enumeratePairs(many, { 'Chemical|Gene': ['false', 'CPR:4'] }, { maxPairs: 10_000 });
  t.is(all.length, 15 * 15);
  const capped = enumeratePairs(many, { 'Chemical|Gene': ['false', 'CPR:4'] });
  t.is(capped.length, 64);
  const gap = (p: { subject: number; object: number }) => Math.abs(p.subject - p.object);
  t.true(
    capped.every((p) => gap(p) <= 9),
    'only near neighbours survive',
  );
  t.deepEqual(capped, enumeratePairs(many, { 'Chemical|Gene': ['false', 'CPR:4'] }), 'same input, same pairs');
});
