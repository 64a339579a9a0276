/**
 * Character-span NER evaluation and the whole-word mention repair on real documents: BioRED's
 * development abstracts run through models/ner as the pipeline runs it, with and without the repair.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../../src/cli.js';
import { readPubtatorDocuments } from '../../src/interchange/pubtator.js';
import { entityTypes } from '../../src/nlp/decode-bio.js';
import { createOnnxAnnotator } from '../../src/nlp/onnx-annotator.js';
import { evaluateSpans, raggedEdge, spanType } from '../../src/nlp/span-evaluation.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { hasRealNer, REAL_NER } from './tiny-models.js';

test('ragged edges are the ones an analyst would reject', (t) => {
  const ragged = (sentence: string, mention: string) => {
    const start = sentence.indexOf(mention);
    return raggedEdge(sentence, start, start + mention.length);
  };
  t.true(ragged('Overexpression of miR-1270 reduced', 'miR-'));
  t.true(ragged('the (BRCA1 gene) was', '(BRCA1'));
  t.true(ragged('as BRCA1), and', 'BRCA1)'));
  t.true(ragged('CD4(+)CD25(+) regulatory T cells', '(+) regulatory T cells'));
  t.true(ragged('at the end.', 'end.'));
  t.false(ragged('Bcl-X(L) expression', 'Bcl-X(L)'));
  t.false(ragged('CD4+ T cells', 'CD4+ T cells'));
  t.false(ragged('complex (MHC) class', '(MHC) class'));
});

test('corpus types map to the model types', (t) => {
  t.is(spanType('GeneOrGeneProduct'), 'Gene');
  t.is(spanType('DiseaseOrPhenotypicFeature'), 'Disease');
  t.is(spanType('Chemical'), 'Chemical');
  t.is(spanType('OrganismTaxon'), 'Species');
  t.is(spanType('SequenceVariant'), 'SequenceVariant');
});

const realTest = hasSharedData && hasRealNer ? test : test.skip;

realTest('on BioRED dev the repair leaves no ragged or letterless mention and loses no F1', async (t) => {
  const docs = readPubtatorDocuments(readFileSync(sharedPath('biored', 'Dev.PubTator'), 'utf8'));
  const run = async (repairMentions: boolean) => {
    const a = await createOnnxAnnotator({
      nerDir: REAL_NER,
      reDir: null,
      executionProvider: 'cpu',
      intraOpThreads: 1,
      batchSize: 64,
      repairMentions,
    });
    try {
      const types = entityTypes(a.ner.folder.labels);
      return { types, r: await evaluateSpans(docs, a, types) };
    } finally {
      await a.close();
    }
  };
  const raw = await run(false);
  const repaired = await run(true);
  // Every gold mention of a scored type is counted once, found or missed.
  const gold = docs.flatMap((d) => d.annotations).filter((a) => raw.types.has(spanType(a.type))).length;
  t.is(repaired.r.micro.tp + repaired.r.micro.fn, gold);
  t.is(raw.r.micro.tp + raw.r.micro.fn, gold);
  t.log(
    `raw: F1 ${raw.r.micro.f1}, ragged ${raw.r.ragged.punctuationEdge}, no letter ${raw.r.ragged.noLetter} of ${raw.r.ragged.predicted}`,
  );
  t.log(
    `repaired: F1 ${repaired.r.micro.f1}, ragged ${repaired.r.ragged.punctuationEdge}, no letter ${repaired.r.ragged.noLetter} of ${repaired.r.ragged.predicted}`,
  );
  t.true(raw.r.ragged.punctuationEdge > 0 && raw.r.ragged.noLetter > 0, 'the model alone leaves ragged mentions');
  t.is(repaired.r.ragged.punctuationEdge, 0);
  t.is(repaired.r.ragged.noLetter, 0);
  t.true(repaired.r.micro.f1 >= raw.r.micro.f1, `${repaired.r.micro.f1} vs ${raw.r.micro.f1}`);
});

realTest('litmine eval spans --json gives the same scores as the evaluator, with and without the repair', async (t) => {
  const file = sharedPath('biored', 'Dev.PubTator');
  const run = async (...extra: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'litmine-spans-'));
    const code = await main(['eval', 'spans', file, '--model', REAL_NER, '--json', '--data-dir', dataDir, ...extra], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      isTTY: false,
    });
    t.is(code, 0, err.join('\n'));
    return JSON.parse(out.join('\n'));
  };
  const repaired = await run();
  const raw = await run('--no-repair');
  t.is(repaired.documents, 100);
  t.true(repaired.repair);
  t.false(raw.repair);
  t.is(repaired.ragged.punctuationEdge, 0);
  t.true(raw.ragged.punctuationEdge > 0);
  t.true(repaired.micro.f1 >= raw.micro.f1);
});
