/**
 * Unit tests for segmentSentences: hand-written biomedical sentences with their exact spans, the
 * coverage/order/trim invariants on generated text, and a small throughput check.
 *
 *   npx ava test/text/segment-sentences.test.ts
 */
import test from 'ava';
import { type SentenceSpan, segmentSentences } from '../../src/text/segment-sentences.js';
import { checkSpans } from './span-invariants.js';

/** The spans the sentences occupy when laid out in order in `text`. */
function spansOf(text: string, sentences: string[]): SentenceSpan[] {
  let from = 0;
  return sentences.map((s) => {
    const start = text.indexOf(s, from);
    if (start < 0) throw new Error(`"${s}" is not in the text after ${from}`);
    from = start + s.length;
    return { start, end: from };
  });
}

/** Each case: the passage and the sentences it must give, in order. */
const cases: Array<[string, string, string[]]> = [
  ['plain', 'Cells grew. They died.', ['Cells grew.', 'They died.']],
  [
    'e.g. and i.e.',
    'Some drugs, e.g. Aspirin, work. Others, i.e. Tylenol, do not.',
    ['Some drugs, e.g. Aspirin, work.', 'Others, i.e. Tylenol, do not.'],
  ],
  ['et al.', 'As shown by Smith et al. The effect was large. It held.', ['As shown by Smith et al. The effect was large.', 'It held.']],
  ['Fig. and Figs.', 'See Fig. 2 and Figs. 3-5 for details. Eq. 1 holds.', ['See Fig. 2 and Figs. 3-5 for details.', 'Eq. 1 holds.']],
  [
    'sentence ending in a figure number',
    'The result is shown in Fig. 2. The next panel differs.',
    ['The result is shown in Fig. 2.', 'The next panel differs.'],
  ],
  [
    'vs. approx. ca. cf.',
    'Group A vs. Group B differed by approx. 5 mg (ca. 10%; cf. Table 1). Done.',
    ['Group A vs. Group B differed by approx. 5 mg (ca. 10%; cf. Table 1).', 'Done.'],
  ],
  [
    'resp. Dr. no. Ref. Tab. Suppl. incl.',
    'Values were 5 and 7, resp. in cases reported by Dr. Brown (no. 4, Ref. 12, Tab. 3, Suppl. Table 2, incl. Controls). End.',
    ['Values were 5 and 7, resp. in cases reported by Dr. Brown (no. 4, Ref. 12, Tab. 3, Suppl. Table 2, incl. Controls).', 'End.'],
  ],
  [
    'species',
    'E. coli and S. aureus were grown. C. elegans and D. melanogaster were not.',
    ['E. coli and S. aureus were grown.', 'C. elegans and D. melanogaster were not.'],
  ],
  [
    'sp. spp. var.',
    'Synechocystis sp. PCC 6803 and Bacillus spp. were found. Brassica oleracea var. capitata grew. Streptomyces sp. The strain died.',
    [
      'Synechocystis sp. PCC 6803 and Bacillus spp. were found.',
      'Brassica oleracea var. capitata grew.',
      'Streptomyces sp.',
      'The strain died.',
    ],
  ],
  [
    'decimals and units',
    'Mice got 0.5 mg/kg of drug. A dose of 1.5 × 10^6 cells was used. It was 2.5 mM.',
    ['Mice got 0.5 mg/kg of drug.', 'A dose of 1.5 × 10^6 cells was used.', 'It was 2.5 mM.'],
  ],
  [
    'p-values',
    'The drop was significant (p < 0.05). It was larger in men, P = .003. Women differed too.',
    ['The drop was significant (p < 0.05).', 'It was larger in men, P = .003.', 'Women differed too.'],
  ],
  [
    'gene and chemical names',
    'Influx required Ca2+. Activation of NF-kB. Then 1,2-dichloroethane was added. mRNA levels rose. p53 was stable.',
    ['Influx required Ca2+.', 'Activation of NF-kB.', 'Then 1,2-dichloroethane was added.', 'mRNA levels rose.', 'p53 was stable.'],
  ],
  [
    'initials',
    'The method of J. Smith and A. B. Jones was used. Vitamin D. These data are new.',
    ['The method of J. Smith and A. B. Jones was used.', 'Vitamin D.', 'These data are new.'],
  ],
  [
    'a letter closing a name',
    'It activates NF-kappa B. Requirement for LCK is shown. Levels of vitamin D. Vitamin D deficiency is common.',
    ['It activates NF-kappa B.', 'Requirement for LCK is shown.', 'Levels of vitamin D.', 'Vitamin D deficiency is common.'],
  ],
  [
    'enumerations',
    'We asked whether (i) cells divide and (ii) they die. (iii) Whether they move was not tested.',
    ['We asked whether (i) cells divide and (ii) they die.', '(iii) Whether they move was not tested.'],
  ],
  ['numbered paragraphs', '1. Nociceptin is a ligand. 2. Its role is unknown.', ['1. Nociceptin is a ligand.', '2. Its role is unknown.']],
  [
    'closing brackets and quotes',
    'Cells died (see above.) Then "it grew." Next came (a second test). Done!',
    ['Cells died (see above.)', 'Then "it grew."', 'Next came (a second test).', 'Done!'],
  ],
  [
    'question and exclamation marks',
    'Does it bind? Yes! It binds?! Really. Is it? maybe not.',
    ['Does it bind?', 'Yes!', 'It binds?!', 'Really.', 'Is it? maybe not.'],
  ],
  ['ellipsis', 'We tried A, B, C... None worked.', ['We tried A, B, C...', 'None worked.']],
  [
    'sentences ending in digits',
    'The cohort was enrolled in 2001. In 2005 it ended. The n was 42. 17 patients left.',
    ['The cohort was enrolled in 2001.', 'In 2005 it ended.', 'The n was 42.', '17 patients left.'],
  ],
  [
    'inside brackets a lowercase word continues',
    'Mice were used (strain no. 5. see ref. 3. mRNA was not measured) in all tests. Done.',
    ['Mice were used (strain no. 5. see ref. 3. mRNA was not measured) in all tests.', 'Done.'],
  ],
  [
    'a lowercase word never starts a sentence',
    'The dose was 5 mg. and then raised. Next.',
    ['The dose was 5 mg. and then raised.', 'Next.'],
  ],
  [
    'structured labels on lines',
    'Aspirin and the heart\nBACKGROUND:\nAspirin helps. METHODS: We tested it.\n\nRESULTS\nIt worked.',
    ['Aspirin and the heart', 'BACKGROUND:', 'Aspirin helps.', 'METHODS: We tested it.', 'RESULTS', 'It worked.'],
  ],
  ['label after an abbreviation', 'Rhythm held for 30 min. RESULTS: It worked.', ['Rhythm held for 30 min.', 'RESULTS: It worked.']],
  ['a wrapped line is not a boundary', 'Cells were grown in\nmedium. A second line.', ['Cells were grown in\nmedium.', 'A second line.']],
  [
    'inline references',
    'Binding is known (Pratt, W. B. (2000) J. Biol. Chem. 275, 6894-6900). It is strong (Blood. 2000;96:4142). Done.',
    ['Binding is known (Pratt, W. B. (2000) J. Biol. Chem. 275, 6894-6900).', 'It is strong (Blood. 2000;96:4142).', 'Done.'],
  ],
  [
    'citations after the period',
    'This was reported.[12] It was confirmed.¹² Later work agreed.',
    ['This was reported.[12]', 'It was confirmed.¹²', 'Later work agreed.'],
  ],
  [
    'route abbreviations',
    'Mice received 5 mg i.p. LPS was given i.v. Nine mice died.',
    ['Mice received 5 mg i.p. LPS was given i.v.', 'Nine mice died.'],
  ],
  [
    'a period glued to the next sentence',
    'Activation was weak.Moreover, it was transient.',
    ['Activation was weak.', 'Moreover, it was transient.'],
  ],
  [
    'stereo prefixes',
    'It was blocked by (-)-propranolol. (+)-Propranolol had no effect.',
    ['It was blocked by (-)-propranolol.', '(+)-Propranolol had no effect.'],
  ],
  ['whitespace around and non-breaking spaces', '  \u00a0First one.\u00a0 Second one.\n\n  ', ['First one.', 'Second one.']],
  ['no terminator at the end', 'First sentence. Second without a period', ['First sentence.', 'Second without a period']],
  ['empty and blank', '   \n\t ', []],
];

for (const [name, text, sentences] of cases) {
  test(`segments: ${name}`, (t) => {
    const spans = segmentSentences(text);
    t.deepEqual(
      spans.map((s) => text.slice(s.start, s.end)),
      sentences,
    );
    t.deepEqual(spans, spansOf(text, sentences));
    t.deepEqual(checkSpans(text, spans), []);
  });
}

test('offsets are UTF-16 code units into the original string', (t) => {
  const text = 'Values rose 𝛼-fold. Then fell.';
  t.deepEqual(segmentSentences(text), [
    { start: 0, end: 20 },
    { start: 21, end: 31 },
  ]);
});

test('the module example', (t) => {
  t.deepEqual(segmentSentences('E. coli grew (p < 0.05). See Fig. 2.'), [
    { start: 0, end: 24 },
    { start: 25, end: 36 },
  ]);
});

/** A small deterministic generator (mulberry32) so property failures replay. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'Cells',
  'grew',
  'e.g.',
  'i.e.',
  'et al.',
  'Fig.',
  '2.',
  '0.5',
  'mg/kg',
  'p < 0.05',
  '(i)',
  '(ii)',
  'E.',
  'coli',
  'J.',
  'Smith',
  'Ca2+.',
  'NF-kB.',
  'vs.',
  '?',
  '!',
  '.',
  '...',
  ').',
  '."',
  '(',
  ')',
  '[12]',
  'mRNA',
  'p53',
  'The',
  'We',
  'sp.',
  'no.',
  '1.',
  'A.',
  '\n',
  '\n\n',
  'RESULTS:',
  'α-helix',
  '’',
  '”.',
  '\u00a0',
  '\t',
  ' .',
  '.[3]',
];

function generate(next: () => number): string {
  const words: string[] = [];
  const count = Math.floor(next() * 60);
  for (let k = 0; k < count; k++) words.push(PIECES[Math.floor(next() * PIECES.length)]!);
  const glue = () => (next() < 0.15 ? '' : next() < 0.1 ? '  ' : ' ');
  return words.reduce((acc, w) => acc + glue() + w, next() < 0.2 ? ' ' : '');
}

test('invariants hold on generated text: order, no overlap, trimmed, every non-space character once', (t) => {
  const next = random(20240607);
  const failures: string[] = [];
  for (let k = 0; k < 5000; k++) {
    const text = generate(next);
    const problems = checkSpans(text, segmentSentences(text));
    if (problems.length > 0) failures.push(`${JSON.stringify(text)}: ${problems.join('; ')}`);
  }
  t.deepEqual(failures.slice(0, 5), []);
});

test('a dense 1 MB passage: each copy of the cases splits as the cases alone, offsets shifted', (t) => {
  // The unit ends a sentence, and "\n" joins the copies, so every copy must come out the same way;
  // speed lives in the benchmark (npm run bench:segment), not here.
  const unit = cases.map(([, text]) => text).join(' ');
  const copies = Math.ceil(1e6 / unit.length);
  const text = Array.from({ length: copies }, () => unit).join('\n');
  const alone = segmentSentences(unit).map((s) => unit.slice(s.start, s.end));
  const spans = segmentSentences(text);
  t.deepEqual(checkSpans(text, spans), []);
  t.is(spans.length, alone.length * copies);
  const stride = unit.length + 1;
  const wrong = spans.filter(
    (s, i) => text.slice(s.start, s.end) !== alone[i % alone.length] || Math.floor(s.start / stride) !== Math.floor(i / alone.length),
  );
  t.deepEqual(wrong.slice(0, 3), []);
});
