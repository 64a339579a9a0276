/**
 * The relation-evaluation readers that must build re_data.py's instances: BC5CDR CID from PubTator
 * and ChemProt from SciBERT's JSONL (argument typing, "false" pairs), and the mention- and
 * document-level scoring. Invented snippets first, then the real corpora
 * (shared-data tier; the counts are those re_data.py gives on the same files).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../../src/cli.js';
import { readCid, readPubtator } from '../../src/nlp/re-corpora/cid.js';
import { geneScore, loadTypedDictionary, readChemprotJsonl } from '../../src/nlp/re-corpora/chemprot.js';
import { type ReItem, reFileFormat, readReFile, scoreRe } from '../../src/nlp/re-evaluation.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { TINY_RE } from './tiny-models.js';

// ---- invented snippets ----

/** A PubTator document whose entity offsets are computed from the text (nth occurrence of a word). */
function pubtator(pmid: string, title: string, abstract: string, ents: [string, number, string, string][], cid: [string, string][]) {
  const text = `${title} ${abstract}`;
  const lines = [`${pmid}|t|${title}`, `${pmid}|a|${abstract}`];
  for (const [word, nth, type, ids] of ents) {
    let at = -1;
    for (let k = 0; k <= nth; k++) at = text.indexOf(word, at + 1);
    lines.push([pmid, at, at + word.length, word, type, ids].join('\t'));
  }
  for (const [c, d] of cid) lines.push([pmid, 'CID', c, d].join('\t'));
  return `${lines.join('\n')}\n\n`;
}

const PUBTATOR =
  pubtator(
    '111',
    'Zorbamide and flenol induced quellitis.',
    'Rats given zorbamide developed quellitis and mild grumosis. Flenol caused grumosis in 2 of 9 rats.',
    [
      ['Zorbamide', 0, 'Chemical', 'C001'],
      ['flenol', 0, 'Chemical', 'C002|C003'],
      ['quellitis', 0, 'Disease', 'D001'],
      ['zorbamide', 0, 'Chemical', 'C001'],
      ['quellitis', 1, 'Disease', 'D001'],
      ['grumosis', 0, 'Disease', 'D002'],
      ['Flenol', 0, 'Chemical', 'C002'],
      ['grumosis', 1, 'Disease', 'D002'],
      ['rats', 0, 'Disease', '-1'],
    ],
    [
      ['C001', 'D001'],
      ['C002', 'D002'],
      ['C003', 'D005'],
    ],
  ) +
  pubtator(
    '222',
    'Fen tox fen.',
    'No more.',
    // The later "fen" is listed first: ties go to the smaller span, not the first listed.
    [
      ['fen', 0, 'Chemical', 'C009'],
      ['Fen', 0, 'Chemical', 'C009'],
      ['tox', 0, 'Disease', 'D009'],
      ['Fen tox', 0, 'Disease', 'D008'],
    ],
    [['C009', 'D008']],
  );

test('CID: one instance per chemical id × disease id of a sentence, closest mentions masked', (t) => {
  const { items, documentGold } = readCid(PUBTATOR);
  t.deepEqual(
    items.map((i) => [i.text, i.gold, i.doc]),
    [
      ['@CHEMICAL$ and flenol induced @DISEASE$.', 'CID', '111\tC001\tD001'],
      ['Zorbamide and @CHEMICAL$ induced @DISEASE$.', 'false', '111\tC002\tD001'],
      ['Zorbamide and @CHEMICAL$ induced @DISEASE$.', 'false', '111\tC003\tD001'],
      ['Rats given @CHEMICAL$ developed @DISEASE$ and mild grumosis.', 'CID', '111\tC001\tD001'],
      ['Rats given @CHEMICAL$ developed quellitis and mild @DISEASE$.', 'false', '111\tC001\tD002'],
      ['@CHEMICAL$ caused @DISEASE$ in 2 of 9 rats.', 'CID', '111\tC002\tD002'],
      // equal distances (4) from "tox": the chemical span (0, 3) wins over (8, 11)
      ['@CHEMICAL$ @DISEASE$ fen.', 'false', '222\tC009\tD009'],
      // "Fen tox" overlaps "Fen": only the later "fen" pairs with it
      ['@DISEASE$ @CHEMICAL$.', 'CID', '222\tC009\tD008'],
    ],
  );
  t.true(items.every((i) => i.key === 'Chemical|Disease'));
  // C003–D005 has no co-occurring mentions: document-level gold only
  t.deepEqual([...documentGold].sort(), ['111\tC001\tD001', '111\tC002\tD002', '111\tC003\tD005', '222\tC009\tD008']);
});

const CHEMPROT = [
  { text: '[[ Zorbinol ]] blocks << flurase kinase >>, while trevamide activates the mork receptor.', label: 'INHIBITOR' },
  { text: 'Zorbinol blocks flurase kinase, while << trevamide >> activates the [[ mork receptor ]].', label: 'AGONIST' },
  { text: 'A line without << two >> arguments.', label: 'INHIBITOR' },
]
  .map((o) => JSON.stringify({ ...o, metadata: [] }))
  .join('\n');

test('ChemProt: arguments typed per sentence whatever the markers; unrelated pairs are "false"', (t) => {
  const items = readChemprotJsonl(CHEMPROT);
  t.deepEqual(
    items.map((i) => [i.text, i.gold]),
    [
      ['@CHEMICAL$ blocks @GENE$, while trevamide activates the mork receptor.', 'CPR:4'],
      ['@CHEMICAL$ blocks flurase kinase, while trevamide activates the @GENE$.', 'false'],
      ['Zorbinol blocks @GENE$, while @CHEMICAL$ activates the mork receptor.', 'false'],
      ['Zorbinol blocks flurase kinase, while @CHEMICAL$ activates the @GENE$.', 'CPR:5'],
    ],
  );
  // A dictionary entry outvotes the heuristics: "flurase kinase" as a chemical flips its component.
  const flipped = readChemprotJsonl(CHEMPROT, { typed: new Map([['flurase kinase', 2]]) });
  t.is(flipped[0]!.text, '@GENE$ blocks @CHEMICAL$, while trevamide activates the mork receptor.');
});

test('gene-likeness score: dictionary votes decide, else the heuristics (values as Python computes them)', (t) => {
  const none = new Map<string, number>();
  t.is(geneScore('Flurase  Kinase ', new Map([['flurase kinase', 2]])), -3);
  t.is(geneScore('zorbinol', new Map([['zorbinol', -1]])), 3);
  t.is(geneScore('zorbinol', new Map([['zorbinol', 0]])), -0.7);
  t.is(geneScore('flurase kinase', none), 1);
  t.is(geneScore('ZRT12', none), 0.5);
  t.is(geneScore('ZRT12 kinase', none), 1);
  t.is(geneScore('4-hydroxyzorbinol', none), -0.7 - 0.3);
});

test('format by file name; scoring as eval_re.py counts, with the document level for CID', (t) => {
  t.is(reFileFormat('x/CDR_TestSet.PubTator.txt'), 'bc5cdr-pubtator');
  t.is(reFileFormat('x/mine.pubtator'), 'bc5cdr-pubtator');
  t.is(reFileFormat('x/test.jsonl'), 'chemprot-jsonl');
  t.is(reFileFormat('x/test.tsv'), 'gad-tsv');
  t.throws(() => reFileFormat('x/test.xml'), { message: /unknown relation file format/ });
  const items: ReItem[] = [
    { text: 'a', key: 'Chemical|Disease', gold: 'CID', doc: 'p\tc1\td1' },
    { text: 'b', key: 'Chemical|Disease', gold: 'CID', doc: 'p\tc1\td1' },
    { text: 'c', key: 'Chemical|Disease', gold: 'false', doc: 'p\tc2\td1' },
    { text: 'd', key: 'Chemical|Disease', gold: 'CID', doc: 'p\tc3\td3' },
  ];
  const r = scoreRe(items, ['CID', 'false', 'CID', 'false'], 'false', new Set(['p\tc1\td1', 'p\tc3\td3', 'p\tc9\td9']));
  t.like(r, { tp: 1, fp: 1, fn: 2, precision: 50, recall: 33.33, instances: 4 });
  // predicted {c1–d1, c2–d1} vs gold {c1–d1, c3–d3, c9–d9}
  t.deepEqual(r.document, { precision: 50, recall: 33.33, f1: 40, tp: 1, fp: 1, fn: 2 });
  t.is(readReFile('x.pubtator', PUBTATOR).documentGold?.size, 4);
  t.is(scoreRe(items, ['CID', 'CID', 'false', 'CID']).document, undefined);
});

test('litmine eval re on a PubTator file: mention-level figures on top, document level under "document"', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-eval-cid-'));
  const file = join(dir, 'tiny.PubTator.txt');
  writeFileSync(file, PUBTATOR);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['eval', 're', file, '--model', TINY_RE, '--json', '--data-dir', dir], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    isTTY: false,
  });
  t.is(code, 0, err.join('\n'));
  const r = JSON.parse(out.join('\n'));
  t.is(r.instances, 8);
  t.is(r.tp + r.fn, 4);
  t.is(r.document.tp + r.document.fn, 4);
  t.true(['precision', 'recall', 'f1', 'tp', 'fp', 'fn'].every((k) => typeof r.document[k] === 'number'));
});

// ---- the real corpora (figures from re_data.py on the same files) ----

function count(items: readonly { gold: string }[]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const i of items) n[i.gold] = (n[i.gold] ?? 0) + 1;
  return n;
}

sharedTest('BC5CDR CID test set: 3950 sentence instances (1483 CID), 1066 document-level CID pairs', (t) => {
  const text = readFileSync(sharedPath('bc5cdr-pubtator', 'CDR_TestSet.PubTator.txt'), 'utf8');
  const { items, documentGold } = readCid(text);
  t.is(items.length, 3950);
  t.deepEqual(count(items), { CID: 1483, false: 2467 });
  t.is(documentGold.size, 1066);
  t.is(readPubtator(text).size, 500);
  const famotidine = items.filter((i) => i.doc === '8701013\tD015738\tD003693').map((i) => i.text);
  t.deepEqual(famotidine, [
    '@CHEMICAL$-associated @DISEASE$.',
    'Although all of the currently available H2-receptor antagonists have shown the propensity to cause @DISEASE$, only two previously reported cases have been associated with @CHEMICAL$.',
    'The authors report on six cases of @CHEMICAL$-associated @DISEASE$ in hospitalized patients who cleared completely upon removal of famotidine.',
  ]);
});

sharedTest('ChemProt test set: 3973 instances as re_data.py builds them; real sentences typed', (t) => {
  const typed = loadTypedDictionary(sharedPath());
  const lines = readFileSync(sharedPath('chemprot-scibert', 'test.jsonl'), 'utf8').split('\n');
  const items = readChemprotJsonl(lines.join('\n'), { typed });
  t.is(items.length, 3973);
  t.deepEqual(count(items), { 'CPR:3': 664, 'CPR:4': 1658, 'CPR:5': 185, 'CPR:6': 293, 'CPR:9': 644, false: 529 });
  // << Hsp90 >> and [[ geldanamycin ]]: the << >> argument is the gene here.
  const hsp90 = readChemprotJsonl(lines.filter((l) => l.includes('selectively disrupts')).join('\n'), { typed });
  t.deepEqual(
    hsp90.map((i) => [i.text, i.gold]),
    [
      [
        'The @GENE$-specific inhibitor @CHEMICAL$ selectively disrupts kinase-mediated signaling events of T-lymphocyte activation.',
        'CPR:4',
      ],
      [
        'The Hsp90-specific inhibitor @CHEMICAL$ selectively disrupts @GENE$-mediated signaling events of T-lymphocyte activation.',
        'CPR:4',
      ],
    ],
  );
  // AMPK–compound, AMPK–AICAR, AICAR–ghrelin: the compound × ghrelin pair is a "false" instance.
  const aicar = readChemprotJsonl(lines.filter((l) => l.includes('ribofuranosyl-imidazole-4-carboxamide')).join('\n'), { typed });
  t.deepEqual(aicar.map((i) => i.gold).sort(), ['CPR:3', 'CPR:3', 'CPR:4', 'false']);
  t.true(
    aicar.some(
      (i) =>
        i.gold === 'false' && i.text === 'Furthermore, the AMPK activator @CHEMICAL$ (AICAR) significantly inhibited @GENE$ secretion.',
    ),
  );
});
