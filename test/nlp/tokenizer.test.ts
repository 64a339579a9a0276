/**
 * Tokenizer edge cases written by hand: offsets into the original text through accents,
 * ligature-free NFD, CJK, control and zero-width characters, emoji (UTF-16), special tokens
 * in text, over-long words, and the pieces of the pipeline on their own.
 */
import test from 'ava';
import { BertNormalizer } from '../../src/nlp/tokenizer/bert-normalizer.js';
import { BertPreTokenizer } from '../../src/nlp/tokenizer/bert-pre-tokenizer.js';
import { tokenizerFromVocab } from '../../src/nlp/tokenizer/load-tokenizer.js';
import { NormalizedString } from '../../src/nlp/tokenizer/normalized-string.js';
import { WordPiece } from '../../src/nlp/tokenizer/word-piece.js';

const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  'cafe',
  'il',
  '-',
  '2',
  'cis',
  '##platin',
  'a',
  '##b',
  '##c',
  '中',
  '!',
  '@',
  'gene',
  '$',
  '##s',
  'e',
].join('\n');
const tok = tokenizerFromVocab(VOCAB, { lowercase: true });

function view(text: string) {
  const enc = tok.encode(text, { addSpecialTokens: false });
  return enc.tokens.map((t, i) => `${t}:${text.slice(...enc.offsets[i]!)}`);
}

test('accents are stripped but offsets cover the accented original', (t) => {
  t.deepEqual(view('Café!'), ['cafe:Café', '!:!']);
  // Decomposed input (e + combining acute): the dropped mark is not part of the token, as in HF.
  t.deepEqual(view('Cafe\u0301'), ['cafe:Cafe']);
});

test('punctuation and sub-words keep exact offsets', (t) => {
  t.deepEqual(view('IL-2 cisplatin'), ['il:IL', '-:-', '2:2', 'cis:cis', '##platin:platin']);
  t.deepEqual(view('@GENE$s'), ['@:@', 'gene:GENE', '$:$', '[UNK]:s']);
});

test('control and zero-width characters vanish; emoji offsets count UTF-16 units', (t) => {
  const text = 'a\u200bb \u0007c 😀 abc';
  const enc = tok.encode(text, { addSpecialTokens: false });
  t.deepEqual(enc.tokens, ['a', '##b', '[UNK]', '[UNK]', 'a', '##b', '##c']);
  t.deepEqual(enc.offsets[3], [text.indexOf('😀'), text.indexOf('😀') + 2]);
  t.deepEqual(enc.offsets[4], [text.indexOf('abc'), text.indexOf('abc') + 1]);
});

test('CJK ideographs are words of their own', (t) => {
  t.deepEqual(view('a中a'), ['a:a', '中:中', 'a:a']);
});

test('special tokens written in the text stay special', (t) => {
  const enc = tok.encode('[MASK] gene');
  t.deepEqual(enc.tokens, ['[CLS]', '[MASK]', 'gene', '[SEP]']);
  t.deepEqual(enc.offsets, [
    [0, 0],
    [0, 6],
    [7, 11],
    [0, 0],
  ]);
});

test('a word longer than 100 characters is one [UNK] over the whole word', (t) => {
  const long = 'a'.repeat(101);
  const enc = tok.encode(`e ${long} e`, { addSpecialTokens: false });
  t.deepEqual(enc.tokens, ['e', '[UNK]', 'e']);
  t.deepEqual(enc.offsets[1], [2, 103]);
});

test('word ids group sub-tokens; words carry original ranges', (t) => {
  const enc = tok.encode('cisplatin abc', { addSpecialTokens: false });
  t.deepEqual(enc.wordIds, [0, 0, 1, 1, 1]);
  t.deepEqual(enc.words, [
    [0, 9],
    [10, 13],
  ]);
});

test('pipeline pieces: normalizer, pre-tokenizer, WordPiece', (t) => {
  const n = NormalizedString.from('İstanbul  Ångström\tΣ');
  new BertNormalizer({ lowercase: true }).normalize(n);
  t.is(n.text, 'istanbul  angstrom σ');
  t.deepEqual(n.originalRange(0, 1), [0, 1]);
  const words = new BertPreTokenizer().split(NormalizedString.from('p.Cys83Arg)'));
  t.deepEqual(
    words.map((w) => w.text),
    ['p', '.', 'Cys83Arg', ')'],
  );
  const wp = WordPiece.fromVocabText(VOCAB);
  t.deepEqual(
    wp.tokenize([...'abcb']).map((p) => p.token),
    ['a', '##b', '##c', '##b'],
  );
  t.deepEqual(
    wp.tokenize([...'abx']).map((p) => p.token),
    ['[UNK]'],
  );
});

test('cased tokenizer keeps case and accents', (t) => {
  const cased = tokenizerFromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'Café', 'café'].join('\n'), { lowercase: false });
  t.deepEqual(cased.encode('Café', { addSpecialTokens: false }).tokens, ['Café']);
});
