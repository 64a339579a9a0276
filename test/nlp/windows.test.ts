/** Windows over long sentences: planning with overlap, and merging by the most central window. */
import test from 'ava';
import { mergeWindows, mostCentralWindow, planWindows } from '../../src/nlp/windows.js';

test('short sequences are one window', (t) => {
  t.deepEqual(planWindows(5, 10, 3), [[0, 5]]);
  t.deepEqual(planWindows(0, 10, 3), [[0, 0]]);
});

test('long sequences overlap by the stride and end at the last token', (t) => {
  t.deepEqual(planWindows(1000, 510, 128), [
    [0, 510],
    [382, 892],
    [764, 1000],
  ]);
  t.deepEqual(planWindows(11, 4, 2), [
    [0, 4],
    [2, 6],
    [4, 8],
    [6, 10],
    [8, 11],
  ]);
});

test('each token is taken from the window where it is most central', (t) => {
  const windows = planWindows(10, 6, 3); // [0,6] [3,9] [6,10]
  t.deepEqual(windows, [
    [0, 6],
    [3, 9],
    [6, 10],
  ]);
  t.deepEqual(mostCentralWindow(10, windows), [0, 0, 0, 0, 0, 1, 1, 1, 2, 2]);
  // Ties (token 4: one token of context either way) go to the earlier window.
  // rows: value = 100 * window + position in sentence
  const rows = windows.map(([s, e], w) => Float32Array.from({ length: e - s }, (_, k) => 100 * w + s + k));
  t.deepEqual([...mergeWindows(10, 1, windows, rows)], [0, 1, 2, 3, 4, 105, 106, 107, 208, 209]);
});
