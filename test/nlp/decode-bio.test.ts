/** BIO decoding: label rules, first-sub-token words, spans in the original text and scores. */
import test from 'ava';
import { bioSpans, decodeBio, softmaxRows } from '../../src/nlp/decode-bio.js';
import { tokenizerFromVocab } from '../../src/nlp/tokenizer/load-tokenizer.js';

test('B opens, I continues the same type, O closes', (t) => {
  t.deepEqual(bioSpans(['B-Gene', 'I-Gene', 'O', 'B-Gene', 'B-Gene']), [
    { type: 'Gene', start: 0, end: 2 },
    { type: 'Gene', start: 3, end: 4 },
    { type: 'Gene', start: 4, end: 5 },
  ]);
});

test('an I- without a B- opens; an I- of another type closes and opens', (t) => {
  t.deepEqual(bioSpans(['O', 'I-Disease', 'I-Disease', 'I-Chemical', 'O', 'I-Gene']), [
    { type: 'Disease', start: 1, end: 3 },
    { type: 'Chemical', start: 3, end: 4 },
    { type: 'Gene', start: 5, end: 6 },
  ]);
});

test('untyped B/I/O tags work as one anonymous type', (t) => {
  t.deepEqual(bioSpans(['B', 'I', 'O', 'I']), [
    { type: 'B', start: 0, end: 1 },
    { type: 'I', start: 1, end: 2 },
    { type: 'I', start: 3, end: 4 },
  ]);
});

test('softmax rows sum to one', (t) => {
  const p = softmaxRows(Float32Array.from([1, 2, 3, 0, 0, 0]), 3);
  t.true(Math.abs(p[0]! + p[1]! + p[2]! - 1) < 1e-6);
  t.true(Math.abs(p[3]! - 1 / 3) < 1e-6);
});

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'cis', '##platin', 'induced', 'renal', 'failure', '.'].join('\n');
const LABELS = ['O', 'B-Chemical', 'I-Chemical', 'B-Disease', 'I-Disease'];

function oneHot(labels: number[]): Float32Array {
  const out = new Float32Array(labels.length * LABELS.length);
  labels.forEach((l, i) => {
    out[i * LABELS.length + l] = 10;
  });
  return out;
}

test('words take their first sub-token label; spans land on original characters', (t) => {
  const tok = tokenizerFromVocab(VOCAB, { lowercase: true });
  const text = 'Cisplatin induced renal failure.';
  const enc = tok.encode(text, { addSpecialTokens: false });
  t.deepEqual(enc.tokens, ['cis', '##platin', 'induced', 'renal', 'failure', '.']);
  // '##platin' says O but the word follows its first piece.
  const mentions = decodeBio(enc, oneHot([1, 0, 0, 3, 4, 0]), LABELS);
  t.deepEqual(
    mentions.map((m) => [text.slice(m.start, m.end), m.type]),
    [
      ['Cisplatin', 'Chemical'],
      ['renal failure', 'Disease'],
    ],
  );
  t.true(mentions.every((m) => m.score > 0.99 && m.score <= 1));
  const onlyDisease = decodeBio(enc, oneHot([1, 0, 0, 3, 4, 0]), LABELS, { types: new Set(['Disease']) });
  t.deepEqual(
    onlyDisease.map((m) => m.type),
    ['Disease'],
  );
});
