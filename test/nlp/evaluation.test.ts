/** Evaluation conventions: CoNLL reading, conlleval chunks (typed and untyped), P/R/F1, RE readers. */
import test from 'ava';
import { conllChunks, evaluateNer, prf, readConll } from '../../src/nlp/ner-evaluation.js';
import { readGadTsv } from '../../src/nlp/re-evaluation.js';
import { TokenClassifier } from '../../src/nlp/token-classifier.js';
import { TINY_NER } from './tiny-models.js';

test('CoNLL: tab or space separated, tag last, blank lines end sentences', (t) => {
  t.deepEqual(readConll('Aspirin\tB\nworks\tO\n\nIL-2 x B-Gene\r\n'), [
    { words: ['Aspirin', 'works'], labels: ['B', 'O'] },
    { words: ['IL-2'], labels: ['B-Gene'] },
  ]);
});

test('conlleval chunks: B starts, I after O starts, I of another type starts', (t) => {
  t.deepEqual([...conllChunks(['B', 'I', 'O', 'I', 'I', 'B'])], ['0:2:', '3:5:', '5:6:']);
  t.deepEqual([...conllChunks(['B-Gene', 'I-Gene', 'I-Disease', 'O'])], ['0:2:Gene', '2:3:Disease']);
});

test('precision, recall, F1 in percent', (t) => {
  t.deepEqual(prf(8, 2, 8), { precision: 80, recall: 50, f1: 61.54, tp: 8, fp: 2, fn: 8 });
  t.deepEqual(prf(0, 0, 0).f1, 0);
});

test('RE reader: GAD TSV (test with header, train without)', (t) => {
  t.deepEqual(readGadTsv('index\tsentence\tlabel\n0\t@GENE$ in @DISEASE$.\t1\n1\tx @GENE$ @DISEASE$\t0\n'), [
    { text: '@GENE$ in @DISEASE$.', key: 'Gene|Disease', gold: 'association' },
    { text: 'x @GENE$ @DISEASE$', key: 'Gene|Disease', gold: 'false' },
  ]);
  t.deepEqual(readGadTsv('@GENE$ and @DISEASE$\t1\n')[0]!.gold, 'association');
});

test('NER evaluation runs end to end on the tiny model (untyped and typed gold)', async (t) => {
  const tc = await TokenClassifier.create(TINY_NER, { executionProvider: 'cpu', intraOpThreads: 1, batchSize: 8 });
  const sents = readConll('Cisplatin\tB\ninduced\tO\nnephrotoxicity\tB\n.\tO\n\nBRCA1\tB\nbinds\tO\n');
  let progressed = 0;
  const r = await evaluateNer(tc, sents, { types: new Set(['Disease']), onProgress: (n) => (progressed += n) });
  t.is(r.sentences, 2);
  t.is(progressed, 2);
  t.is(r.tp + r.fn, 3);
  const typed = await evaluateNer(tc, readConll('Cisplatin\tB-Chemical\ninduced\tO\n'));
  t.true(typed.typed);
  t.is(typed.tp + typed.fn, 1);
  await tc.close();
});
