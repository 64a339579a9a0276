import test from 'ava';
import type { SentenceMention } from '../../src/nlp/annotator.js';
import { repairMentions } from '../../src/nlp/mention-repair.js';

/** Mentions given by their text (first occurrence), repaired, read back as "Type:text". */
function repair(text: string, spans: [string, string, number?][]): string[] {
  const mentions: SentenceMention[] = spans.map(([type, s, score]) => {
    const start = text.indexOf(s);
    if (start < 0) throw new Error(`"${s}" not in "${text}"`);
    return { start, end: start + s.length, type, score: score ?? 0.9 };
  });
  return repairMentions(text, mentions).map((m) => `${m.type}:${text.slice(m.start, m.end)}`);
}

test('a hyphen or slash joining a digit-bearing or short word takes the word in', (t) => {
  t.deepEqual(repair('Overexpression of miR-1270 reduced cisplatin resistance.', [['Gene', 'miR-']]), ['Gene:miR-1270']);
  t.deepEqual(repair('Serum IL-6 was raised.', [['Gene', 'IL-']]), ['Gene:IL-6']);
  t.deepEqual(repair('HLA-DR expression', [['Gene', 'HLA-']]), ['Gene:HLA-DR']);
  t.deepEqual(repair('TNF-α levels', [['Gene', 'TNF-']]), ['Gene:TNF-α']);
  t.deepEqual(repair('in miR-1270 cells', [['Gene', '-1270']]), ['Gene:miR-1270']);
  t.deepEqual(repair('EGFR/HER2 status', [['Gene', 'EGFR/']]), ['Gene:EGFR/HER2']);
});

test('a hyphen joining a long word is trimmed instead: "TNF-induced" keeps TNF', (t) => {
  t.deepEqual(repair('TNF-induced apoptosis', [['Gene', 'TNF-']]), ['Gene:TNF']);
  t.deepEqual(repair('cisplatin-induced nephrotoxicity', [['Chemical', 'cisplatin-']]), ['Chemical:cisplatin']);
});

test('edge punctuation and unbalanced brackets go; balanced ones and inner punctuation stay', (t) => {
  t.deepEqual(repair('the (BRCA1 gene) was', [['Gene', '(BRCA1']]), ['Gene:BRCA1']);
  t.deepEqual(repair('as BRCA1), and', [['Gene', 'BRCA1),']]), ['Gene:BRCA1']);
  t.deepEqual(repair('of interleukin (IL)-2 in', [['Gene', 'interleukin (IL)-2']]), ['Gene:interleukin (IL)-2']);
  t.deepEqual(repair('"purpura", and', [['Disease', '"purpura",']]), ['Disease:purpura']);
  t.deepEqual(repair('with 2,4-D.', [['Chemical', '2,4-D.']]), ['Chemical:2,4-D']);
  t.deepEqual(repair('CD4+ T cells', [['CellType', 'CD4+ T cells']]), ['CellType:CD4+ T cells']);
  t.deepEqual(repair('E. coli was', [['Species', 'E. coli']]), ['Species:E. coli']);
});

test('a bracket without its partner takes in the partner beside it, else the mention is cut there', (t) => {
  t.deepEqual(repair('calcium chloride (CaCl(2))-induced', [['Chemical', 'CaCl(2']]), ['Chemical:CaCl(2)']);
  t.deepEqual(repair('with (R)-alpha-methylhistamine (RAMH)', [['Chemical', 'R)-alpha-methylhistamine']]), [
    'Chemical:(R)-alpha-methylhistamine',
  ]);
  t.deepEqual(repair('Bcl-X(L) expression', [['Gene', 'Bcl-X(L)']]), ['Gene:Bcl-X(L)']);
  t.deepEqual(repair('complex (MHC) class (GO:0002504)', [['Gene', 'MHC) class']]), ['Gene:(MHC) class']);
  t.deepEqual(repair('CD4(+)CD25(+) regulatory T cells have', [['CellType', '(+) regulatory T cells']]), ['CellType:regulatory T cells']);
  t.deepEqual(repair('Cisplatin (CDDP) was', [['Chemical', '(CDDP)']]), ['Chemical:CDDP']);
});

test('mentions without a letter are dropped: bare numbers and punctuation', (t) => {
  t.deepEqual(
    repair('at 1270 and 37 °C - done', [
      ['Gene', '1270'],
      ['Gene', '37'],
      ['Gene', '-'],
    ]),
    [],
  );
  t.deepEqual(
    repair('p53 and 5-FU', [
      ['Gene', 'p53'],
      ['Chemical', '5-FU'],
    ]),
    ['Gene:p53', 'Chemical:5-FU'],
  );
});

test('overlaps left by the repair: one type merges, two types keep the more confident', (t) => {
  t.deepEqual(
    repair('miR-1270 binds', [
      ['Gene', 'miR-', 0.8],
      ['Gene', '1270', 0.6],
    ]),
    ['Gene:miR-1270'],
  );
  t.deepEqual(
    repair('miR-1270 binds', [
      ['Gene', 'miR-', 0.9],
      ['Chemical', '1270', 0.95],
    ]),
    ['Gene:miR-1270'],
  );
  t.deepEqual(
    repair('IL-6 binds', [
      ['Chemical', 'IL-', 0.5],
      ['Gene', 'IL-6', 0.9],
    ]),
    ['Gene:IL-6'],
  );
});

test('offsets stay in the sentence, and mentions come out in order', (t) => {
  const text = 'Cisplatin (CDDP) induced nephrotoxicity.';
  const out = repairMentions(text, [
    { start: 25, end: 40, type: 'Disease', score: 0.9 },
    { start: 0, end: 9, type: 'Chemical', score: 0.9 },
    { start: 10, end: 15, type: 'Chemical', score: 0.9 },
  ]);
  t.deepEqual(
    out.map((m) => [m.start, m.end, text.slice(m.start, m.end)]),
    [
      [0, 9, 'Cisplatin'],
      [11, 15, 'CDDP'],
      [25, 39, 'nephrotoxicity'],
    ],
  );
});
