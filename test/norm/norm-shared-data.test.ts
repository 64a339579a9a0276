/**
 * Normalization on real data: a dictionary built from the staged MeSH and MONDO files with the BC5CDR
 * training lexicon reproduces NORMALIZATION.md's gold-span accuracy on the BC5CDR test set, and over
 * the README's PubMed records the committed NER model plus normalization make "cisplatin" and
 * "Cisplatin" one MeSH entity and resolve "TTP" in PMID 31479879 to thrombotic thrombocytopenic purpura.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../../src/cli.js';
import { createOnnxAnnotator } from '../../src/nlp/onnx-annotator.js';
import { Normalizer } from '../../src/norm/normalizer.js';
import { loadRanker } from '../../src/norm/ranker.js';
import { parseXmlFile } from '../../src/parse/parse-xml-file.js';
import type { Article } from '../../src/records/types.js';
import { annotateArticles } from '../../src/stages/annotate-articles.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';
import { hasSharedData, repoRoot, sharedPath } from '../helpers/shared-data.js';
import { REAL_NER, hasRealNer } from '../nlp/tiny-models.js';

const it = hasSharedData ? test.serial : test.skip;
const withModel = hasSharedData && hasRealNer ? test.serial : test.skip;

const dataDir = mkdtempSync(join(tmpdir(), 'litmine-norm-'));
const dictFile = join(dataDir, 'vocab', 'dictionary.sqlite');
let built: Promise<unknown> | undefined;
function dictionary(): Promise<unknown> {
  built ??= buildDictionary({
    from: [sharedPath('vocab', 'mesh'), sharedPath('vocab', 'mondo')],
    lexicon: [sharedPath('bc5cdr-pubtator', 'CDR_TrainingSet.PubTator.txt')],
    out: dictFile,
  });
  return built;
}

it('litmine eval norm reproduces the BC5CDR test gold-span accuracy in NORMALIZATION.md', async (t) => {
  await dictionary();
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['eval', 'norm', sharedPath('bc5cdr-pubtator', 'CDR_TestSet.PubTator.txt'), '--gold-spans-only', '--json', '--data-dir', dataDir],
    { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false },
  );
  t.is(code, 0, err.join('\n'));
  const r = JSON.parse(out.join('\n'));
  t.is(r.documents, 500);
  t.deepEqual({ Chemical: r.goldSpan.Chemical.accuracy, Disease: r.goldSpan.Disease.accuracy }, { Chemical: 90.03, Disease: 85.56 });
  t.is(r.goldSpan.Chemical.total, 5355);
  t.is(r.goldSpan.Disease.total, 4363);
});

async function articles(file: string, pmids: string[]): Promise<Article[]> {
  const found = new Map<string, Article>();
  for await (const r of parseXmlFile(file))
    if (r.kind === 'article' && pmids.includes(r.article.pmid ?? '')) found.set(r.article.pmid!, r.article);
  return pmids.map((p) => {
    const a = found.get(p);
    if (!a) throw new Error(`${file}: no PMID ${p}`);
    return a;
  });
}

withModel('over real PubMed records, cisplatin is one MeSH entity and TTP resolves through its definition', async (t) => {
  await dictionary();
  const normalizer = new Normalizer(Dictionary.open(dictFile), loadRanker(join(repoRoot, 'models', 'norm', 'ranker.json')));
  const annotator = await createOnnxAnnotator({
    nerDir: REAL_NER,
    reDir: null,
    executionProvider: 'cpu',
    intraOpThreads: 2,
    batchSize: 1,
    normalizer,
  });
  try {
    // Both spell it "Cisplatin" at a sentence start and "cisplatin" elsewhere.
    const docs = await articles(sharedPath('pubmed-xml-more', 'pubmedparser-netsynergy', 'pubmed21n1003.xml.gz'), ['31479879', '31479922']);
    const annotations = await annotateArticles(docs, annotator);
    t.truthy(annotations[0]!.models.norm, 'the annotation names the dictionary it was normalized with');

    const ttp = annotations[0]!.mentions.filter((m) => m.text === 'TTP');
    t.true(ttp.length > 0, 'TTP is a mention (found by NER or added from its long form)');
    for (const m of ttp) {
      t.is(m.type, 'Disease');
      t.is(m.ids?.[0]?.id, 'MESH:D011697');
      t.is(m.key, 'Disease:MESH:D011697');
    }

    const cis = annotations.flatMap((a) => a.mentions).filter((m) => /^cisplatin$/i.test(m.text));
    const surfaces = new Set(cis.map((m) => m.text));
    t.true(surfaces.has('cisplatin') && surfaces.has('Cisplatin'), `both spellings occur: ${[...surfaces].join(', ')}`);
    t.deepEqual([...new Set(cis.map((m) => m.key))], ['Chemical:MESH:D002945']);
    t.is(cis[0]!.ids![0]!.name, 'Cisplatin');
  } finally {
    await annotator.close();
  }
});
