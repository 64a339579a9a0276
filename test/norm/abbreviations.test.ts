/**
 * Abbreviation definitions (Schwartz & Hearst with an initials match) and their use across a
 * document: the short form takes the long form's type and identifiers, and occurrences NER missed
 * are added; misspelled names found by edit distance. The dictionary is a small MeSH-format table written here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { findAbbreviations } from '../../src/norm/abbreviations.js';
import { editDistance } from '../../src/norm/edit-distance.js';
import { Normalizer } from '../../src/norm/normalizer.js';
import { DEFAULT_WEIGHTS } from '../../src/norm/ranker.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';

const pairs = (text: string) => findAbbreviations(text).map((a) => [a.short, a.long, text.slice(a.longStart, a.longEnd) === a.long]);

test('long form (SF): the initials match keeps every word the letters name', (t) => {
  t.deepEqual(pairs('Thrombotic thrombocytopenic purpura (TTP) is rare.'), [['TTP', 'Thrombotic thrombocytopenic purpura', true]]);
  t.deepEqual(pairs('in patients with acute myocardial infarction (AMI; n = 30)'), [['AMI', 'acute myocardial infarction', true]]);
  t.deepEqual(pairs('given diethylnitrosamine (DEN: 10 mg/kg/day)'), [['DEN', 'diethylnitrosamine', true]]);
  t.deepEqual(pairs('with 5-fluorouracil (5-FU) and cisplatin (CDDP)'), [['5-FU', '5-fluorouracil', true]]);
  t.deepEqual(pairs('testosterone (T) levels'), [['T', 'testosterone', true]]);
});

test('SF (long form) and non-definitions', (t) => {
  t.deepEqual(pairs('The TTP (thrombotic thrombocytopenic purpura) group'), [['TTP', 'thrombotic thrombocytopenic purpura', true]]);
  t.deepEqual(pairs('was significant (p < 0.05) in rats (n = 12)'), []);
  t.deepEqual(pairs('as reported (Smith et al., 2004)'), []);
});

async function normalizer(): Promise<Normalizer> {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-abbr-'));
  writeFileSync(
    join(dir, 'mesh_id_label_mappings.tsv'),
    'D011697\tPurpura, Thrombotic Thrombocytopenic\tThrombotic Thrombocytopenic Purpura\tC15.378.100.802.687\t\n' +
      'D002945\tCisplatin\tcis-Platinum\tD01.210.375\t\n' +
      'D000077143\tDocetaxel\tTaxotere\tD02.455.326\t\n',
  );
  const out = join(dir, 'dictionary.sqlite');
  await buildDictionary({ from: [dir], out });
  return new Normalizer(Dictionary.open(out), DEFAULT_WEIGHTS);
}

test('a short form takes its long form type and id everywhere in the document; missed ones are added', async (t) => {
  const n = await normalizer();
  const title = 'Cisplatin-associated TTP';
  const abstract = 'Thrombotic thrombocytopenic purpura (TTP) followed cisplatin. TTP resolved.';
  const out = n.normalize(
    [
      { id: 'title', text: title },
      { id: 'abstract', text: abstract },
    ],
    [
      { passageId: 'title', start: 0, end: 9, text: 'Cisplatin', type: 'Chemical' },
      // NER typed the title's TTP as a gene; the definition in the abstract says otherwise.
      { passageId: 'title', start: 21, end: 24, text: 'TTP', type: 'Gene' },
      { passageId: 'abstract', start: 0, end: 35, text: 'Thrombotic thrombocytopenic purpura', type: 'Disease' },
    ],
  );
  t.is(out[0]!.ids[0]!.id, 'MESH:D002945');
  t.deepEqual([out[1]!.type, out[1]!.ids[0]!.id], ['Disease', 'MESH:D011697']);
  const added = out.filter((m) => m.added).map((m) => [m.passageId, m.start, m.text, m.type, m.ids[0]!.id, m.longForm]);
  t.deepEqual(added, [
    ['abstract', 37, 'TTP', 'Disease', 'MESH:D011697', 2],
    ['abstract', 62, 'TTP', 'Disease', 'MESH:D011697', 2],
  ]);
  n.dict.close();
});

test('the short form of a combination ("docetaxel plus cisplatin (DC)") is a name of none of its parts', async (t) => {
  const n = await normalizer();
  const abstract = 'Docetaxel plus cisplatin (DC) was compared with cisplatin alone. DC was better.';
  const out = n.normalize(
    [{ id: 'abstract', text: abstract }],
    [
      { passageId: 'abstract', start: 0, end: 9, text: 'Docetaxel', type: 'Chemical' },
      { passageId: 'abstract', start: 15, end: 24, text: 'cisplatin', type: 'Chemical' },
      { passageId: 'abstract', start: 26, end: 28, text: 'DC', type: 'Chemical' },
      { passageId: 'abstract', start: 66, end: 68, text: 'DC', type: 'Chemical' },
    ],
  );
  const dc = out.filter((m) => m.text === 'DC');
  t.is(dc.length, 2, 'no DC is added either');
  for (const m of dc) {
    t.falsy(m.fromAbbreviation);
    t.false(
      m.ids.some((id) => id.id === 'MESH:D002945'),
      'DC is not a name of cisplatin',
    );
  }
  n.dict.close();
});

test('misspelled names resolve by edit distance; short ones do not', async (t) => {
  const n = await normalizer();
  t.is(editDistance('tobramicyn', 'tobramycin', 2), 2);
  t.is(editDistance('cisplatni', 'cisplatin', 1), 1, 'a transposition is one edit');
  t.is(n.resolve('cisplatni', 'Chemical')[0]?.id, 'MESH:D002945');
  t.deepEqual(n.resolve('cisplatinum compound x', 'Disease'), []);
  t.deepEqual(n.resolve('cispla', 'Chemical'), [], 'one edit from nothing it can be sure of');
  n.dict.close();
});

test('a long form that is no mention resolves under any type NER gave its short form in the document', async (t) => {
  const n = await normalizer();
  const abstract = 'Thrombotic thrombocytopenic purpura (TTP) is rare. TTP was treated.';
  // NER split the long form ("purpura" a gene) and typed the defining TTP a gene, a later one a disease.
  const out = n.normalize(
    [{ id: 'abstract', text: abstract }],
    [
      { passageId: 'abstract', start: 0, end: 27, text: 'Thrombotic thrombocytopenic', type: 'Disease' },
      { passageId: 'abstract', start: 28, end: 35, text: 'purpura', type: 'Gene' },
      { passageId: 'abstract', start: 37, end: 40, text: 'TTP', type: 'Gene' },
      { passageId: 'abstract', start: 51, end: 54, text: 'TTP', type: 'Disease' },
    ],
  );
  const ttp = out.filter((m) => m.text === 'TTP').map((m) => [m.start, m.type, m.ids[0]?.id]);
  t.deepEqual(ttp, [
    [37, 'Disease', 'MESH:D011697'],
    [51, 'Disease', 'MESH:D011697'],
  ]);
  n.dict.close();
});
