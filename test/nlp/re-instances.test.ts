/**
 * The relation-evaluation instances come from one place, models/train/re_data.py, written as JSON
 * lines by models/train/write_eval_instances.py and read by `litmine eval re`: the writer on invented
 * PubTator and ChemProt snippets (closest mentions masked, arguments typed per sentence, unrelated
 * pairs "false"), the reader and its errors, the scoring, and the real test sets (shared-data tier;
 * the counts are models/REPORT.md's).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../../src/cli.js';
import { LitmineError } from '../../src/errors.js';
import { type ReItem, readReFile, readReInstances, reFileFormat, scoreRe } from '../../src/nlp/re-evaluation.js';
import { hasSharedData, repoRoot, sharedPath } from '../helpers/shared-data.js';
import { TINY_RE } from './tiny-models.js';

const PYTHON = process.env.LITMINE_PYTHON ?? 'python3';
const hasPython = spawnSync(PYTHON, ['--version']).status === 0;
const pythonTest = hasPython ? test : test.skip;
const sharedPythonTest = hasPython && hasSharedData ? test : test.skip;

/** Runs the writer over a data folder; returns the instance files' text by corpus. */
function writeInstances(dataRoot: string, corpora: string[]): Record<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'litmine-re-eval-'));
  const run = spawnSync(
    PYTHON,
    [join(repoRoot, 'models', 'train', 'write_eval_instances.py'), '--out', out, ...corpora.flatMap((c) => ['--corpus', c])],
    { env: { ...process.env, LITMINE_SHARED_DATA: dataRoot }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`write_eval_instances.py failed: ${run.stderr}`);
  return Object.fromEntries(corpora.map((c) => [c, readFileSync(join(out, `${c}.re-instances.jsonl`), 'utf8')]));
}

/** A data folder holding only the given files (paths relative to the shared-data root). */
function dataFolder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'litmine-re-data-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

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

pythonTest('CID: one instance per chemical id × disease id of a sentence, closest mentions masked', (t) => {
  const text = writeInstances(dataFolder({ 'bc5cdr-pubtator/CDR_TestSet.PubTator.txt': PUBTATOR }), ['bc5cdr-cid'])['bc5cdr-cid']!;
  const { items, documentGold } = readReInstances(text);
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
  t.deepEqual([...documentGold!].sort(), ['111\tC001\tD001', '111\tC002\tD002', '111\tC003\tD005', '222\tC009\tD008']);
});

const CHEMPROT = [
  { text: '[[ Zorbinol ]] blocks << flurase kinase >>, while trevamide activates the mork receptor.', label: 'INHIBITOR' },
  { text: 'Zorbinol blocks flurase kinase, while << trevamide >> activates the [[ mork receptor ]].', label: 'AGONIST' },
  { text: 'A line without << two >> arguments.', label: 'INHIBITOR' },
]
  .map((o) => JSON.stringify({ ...o, metadata: [] }))
  .join('\n');

pythonTest('ChemProt: arguments typed per sentence whatever the markers; unrelated pairs are "false"', (t) => {
  const plain = writeInstances(dataFolder({ 'chemprot-scibert/test.jsonl': CHEMPROT }), ['chemprot']).chemprot!;
  t.deepEqual(
    readReInstances(plain).items.map((i) => [i.text, i.gold]),
    [
      ['@CHEMICAL$ blocks @GENE$, while trevamide activates the mork receptor.', 'CPR:4'],
      ['@CHEMICAL$ blocks flurase kinase, while trevamide activates the @GENE$.', 'false'],
      ['Zorbinol blocks @GENE$, while @CHEMICAL$ activates the mork receptor.', 'false'],
      ['Zorbinol blocks flurase kinase, while @CHEMICAL$ activates the @GENE$.', 'CPR:5'],
    ],
  );
  // A typed mention outvotes the heuristics: "flurase kinase" as a chemical flips its component.
  const typed = dataFolder({
    'chemprot-scibert/test.jsonl': CHEMPROT,
    'chemprot-original/test_entities.tsv': '1\tT1\tCHEMICAL\t0\t14\tflurase kinase\n',
  });
  const flipped = readReInstances(writeInstances(typed, ['chemprot']).chemprot!).items;
  t.is(flipped[0]!.text, '@GENE$ blocks @CHEMICAL$, while trevamide activates the mork receptor.');
});

const header = (extra: Record<string, unknown> = {}) => JSON.stringify({ format: 'litmine.re-instances', version: 1, ...extra });

test('the instance reader: header, instances, document gold; a bad file is named with its line and reason', (t) => {
  const text = [
    header({ corpus: 'bc5cdr-cid', instances: 2, documentGold: ['p\tc\td'] }),
    JSON.stringify({ key: 'Chemical|Disease', text: '@CHEMICAL$ x @DISEASE$', gold: 'CID', doc: 'p\tc\td' }),
    JSON.stringify({ key: 'Chemical|Disease', text: '@DISEASE$ y @CHEMICAL$', gold: 'false' }),
  ].join('\n');
  const r = readReInstances(text);
  t.is(r.items.length, 2);
  t.deepEqual(r.items[1], { key: 'Chemical|Disease', text: '@DISEASE$ y @CHEMICAL$', gold: 'false' });
  t.deepEqual([...r.documentGold!], ['p\tc\td']);
  const bad = (s: string) => t.throws(() => readReInstances(s, 'x.re-instances.jsonl'), { instanceOf: LitmineError });
  t.regex(
    bad('{"text": "no header"}').message,
    /x\.re-instances\.jsonl: line 1: not a litmine\.re-instances v1 header.*write_eval_instances\.py/,
  );
  t.regex(bad(`${header()}\n{"key": "A|B", "text": 3, "gold": "false"}`).message, /line 2: text must be strings/);
  t.regex(bad(`${header()}\nnot json`).message, /line 2: not JSON/);
  t.regex(bad(`${header({ instances: 5 })}\n`).message, /promises 5 instances, the file has 0/);
});

test('format by file name; raw ChemProt/PubTator files point to the writer; scoring as eval_re.py counts', (t) => {
  t.is(reFileFormat('x/chemprot.re-instances.jsonl'), 're-instances');
  t.is(reFileFormat('x/test.tsv'), 'gad-tsv');
  for (const raw of ['x/CDR_TestSet.PubTator.txt', 'x/mine.pubtator', 'x/test.jsonl']) {
    t.throws(() => reFileFormat(raw), { message: /write_eval_instances\.py` builds their instances/ });
  }
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
  t.is(scoreRe(items, ['CID', 'CID', 'false', 'CID']).document, undefined);
});

pythonTest('litmine eval re on written instances: mention-level figures on top, document level under "document"', async (t) => {
  const text = writeInstances(dataFolder({ 'bc5cdr-pubtator/CDR_TestSet.PubTator.txt': PUBTATOR }), ['bc5cdr-cid'])['bc5cdr-cid']!;
  const dir = mkdtempSync(join(tmpdir(), 'litmine-eval-cid-'));
  const file = join(dir, 'bc5cdr-cid.re-instances.jsonl');
  writeFileSync(file, text);
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

// ---- the real corpora (the counts of models/REPORT.md) ----

function count(items: readonly { gold: string }[]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const i of items) n[i.gold] = (n[i.gold] ?? 0) + 1;
  return n;
}

sharedPythonTest(
  'the real test sets as written: CID 3950 instances (1483 CID) and 1066 document pairs; ChemProt 3973; GAD 534; EU-ADR 37',
  (t) => {
    const files = writeInstances(sharedPath(), ['bc5cdr-cid', 'chemprot', 'gad', 'euadr']);
    const cid = readReFile('bc5cdr-cid.re-instances.jsonl', files['bc5cdr-cid']!);
    t.is(cid.items.length, 3950);
    t.deepEqual(count(cid.items), { CID: 1483, false: 2467 });
    t.is(cid.documentGold?.size, 1066);
    const famotidine = cid.items.filter((i) => i.doc === '8701013\tD015738\tD003693').map((i) => i.text);
    t.deepEqual(famotidine, [
      '@CHEMICAL$-associated @DISEASE$.',
      'Although all of the currently available H2-receptor antagonists have shown the propensity to cause @DISEASE$, only two previously reported cases have been associated with @CHEMICAL$.',
      'The authors report on six cases of @CHEMICAL$-associated @DISEASE$ in hospitalized patients who cleared completely upon removal of famotidine.',
    ]);
    const chemprot = readReFile('chemprot.re-instances.jsonl', files.chemprot!).items;
    t.deepEqual(count(chemprot), { 'CPR:3': 664, 'CPR:4': 1658, 'CPR:5': 185, 'CPR:6': 293, 'CPR:9': 644, false: 529 });
    t.true(
      chemprot.some(
        (i) =>
          i.gold === 'false' && i.text === 'Furthermore, the AMPK activator @CHEMICAL$ (AICAR) significantly inhibited @GENE$ secretion.',
      ),
    );
    // GAD/EU-ADR: the instances written equal BioBERT's TSV read directly (the same file, two ways).
    for (const corpus of ['gad', 'euadr']) {
      const tsv = sharedPath(corpus, 'biobert-10fold', '1', 'test.tsv');
      t.deepEqual(readReFile('x.re-instances.jsonl', files[corpus]!).items, readReFile(tsv, readFileSync(tsv, 'utf8')).items, corpus);
    }
  },
);
