/**
 * LINNAEUS's guideline tags words for people ("patients", "women") as Homo sapiens; its dictionary
 * does not list them, so the dictionary build adds them to NCBITaxon:9606 and the NER model's
 * "patients" mentions get the id the species corpora give them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { Normalizer } from '../../src/norm/normalizer.js';
import { DEFAULT_WEIGHTS } from '../../src/norm/ranker.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';

test('words for people resolve to Homo sapiens; words the corpus leaves untagged do not', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'litmine-linnaeus-'));
  const from = join(root, 'species');
  mkdirSync(from);
  writeFileSync(
    join(from, 'dict-species.tsv.gz'),
    gzipSync(
      'species:ncbi:9606\tMan|H. sapiens|Human|Humans|homo sapiens|humans|human|Homo sapiens|man\nspecies:ncbi:10090\tmouse|mice|Mus musculus|house mouse\n',
    ),
  );
  const out = join(root, 'dictionary.sqlite');
  await buildDictionary({ from: [from], out });
  const dict = Dictionary.open(out);
  t.teardown(() => dict.close());
  const n = new Normalizer(dict, DEFAULT_WEIGHTS);
  for (const word of ['patients', 'Patients', 'patient', 'people', 'participants', 'women', 'children'])
    t.is(n.resolve(word, 'Species')[0]?.id, 'NCBITaxon:9606', word);
  t.is(n.resolve('patients', 'Species')[0]?.name, 'Homo sapiens');
  for (const word of ['subjects', 'individuals', 'adults']) t.deepEqual(n.resolve(word, 'Species'), [], word);
  t.is(n.resolve('mice', 'Species')[0]?.id, 'NCBITaxon:10090');
});
