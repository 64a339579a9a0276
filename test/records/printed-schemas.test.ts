/**
 * The schemas as consumers get them: the JSON `litmine schemas` prints, compiled by a fresh ajv,
 * accepts every kind of record litmine produces from a small self-written PubMed file and JATS
 * article (parsed, annotated with normalized ids, split into entity and relation records, one dead
 * letter), and still carries the constraints the records rely on.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Ajv, type ValidateFunction } from 'ajv';
import { LitmineError } from '../../src/errors.js';
import type { Annotation, Article, ArticleDelete, DeadLetter, EntityRecord, RelationRecord } from '../../src/records/types.js';
import { Normalizer } from '../../src/norm/normalizer.js';
import { DEFAULT_WEIGHTS } from '../../src/norm/ranker.js';
import { parseXmlStream } from '../../src/parse/parse-xml-file.js';
import { annotateArticles } from '../../src/stages/annotate-articles.js';
import { annotationOutputs } from '../../src/stages/annotation-outputs.js';
import { deadLetterMessage } from '../../src/stages/dead-letter.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';
import { chunked, collect, pubmedRecord } from '../parse/helpers.js';
import { litmine } from '../pipeline/cli-io.js';
import { DictionaryAnnotator } from '../topologies/dictionary-annotator.js';

const PUBMED = `<?xml version="1.0" ?>
<PubmedArticleSet>
${pubmedRecord('7001', { abstract: '<AbstractText>Cisplatin caused nephrotoxicity in rats.</AbstractText>' })}
<DeleteCitation><PMID Version="1">7002</PMID></DeleteCitation>
</PubmedArticleSet>
`;

const JATS = `<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">
<front><journal-meta><journal-title-group><journal-title>Test Journal</journal-title></journal-title-group></journal-meta>
<article-meta><article-id pub-id-type="pmc">PMC7003</article-id><article-id pub-id-type="doi">10.9999/j.7003</article-id>
<title-group><article-title>Aspirin and asthma</article-title></title-group>
<pub-date pub-type="epub"><day>5</day><month>6</month><year>2021</year></pub-date>
<permissions><license xlink:href="https://creativecommons.org/licenses/by/4.0/"><license-p>CC BY.</license-p></license></permissions>
<abstract><p>Aspirin worsened asthma.</p></abstract></article-meta></front>
<body><sec><title>Results</title><p>Cisplatin was not given.</p></sec></body>
</article>`;

/** A fresh ajv over the printed JSON, as a consumer would set it up. */
async function printedValidators(): Promise<Map<string, ValidateFunction>> {
  const printed = await litmine('schemas');
  if (printed.code !== 0) throw new Error(printed.err);
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)));
  const schemas = JSON.parse(printed.out) as Record<string, object>;
  return new Map(Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)]));
}

type TopicRecord = Article | ArticleDelete | Annotation | EntityRecord | RelationRecord | DeadLetter;

async function producedRecords(): Promise<TopicRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-printed-schemas-'));
  mkdirSync(join(dir, 'staged'));
  writeFileSync(
    join(dir, 'staged', 'mesh_id_label_mappings.tsv'),
    'D002945\tCisplatin\tCDDP\tD01.210.375\t\nD058186\tAcute Kidney Injury\tNephrotoxicity\tC12.050.351.968.419.780.050\t\n',
  );
  const dictPath = join(dir, 'dictionary.sqlite');
  await buildDictionary({ from: [join(dir, 'staged')], out: dictPath });
  const normalizer = new Normalizer(Dictionary.open(dictPath), DEFAULT_WEIGHTS);
  const base = new DictionaryAnnotator();
  const annotator = Object.assign(Object.create(Object.getPrototypeOf(base)), base, { normalizer });

  const parsed = [
    ...(await collect(parseXmlStream(chunked(PUBMED, 1 << 16), 'tiny.xml'))),
    ...(await collect(parseXmlStream(chunked(JATS, 1 << 16), 'tiny.nxml'))),
  ];
  const articles = parsed.flatMap((r) => (r.kind === 'article' ? [r.article] : []));
  const deletes = parsed.flatMap((r) => (r.kind === 'delete' ? [r.delete] : []));
  const annotations = await annotateArticles(articles, annotator);
  normalizer.dict.close();
  const outputs = annotations.map(annotationOutputs);
  const deadLetter = deadLetterMessage(
    'litmine.dead-letters',
    'annotate',
    new LitmineError('LITMINE_ANNOTATE', 'poisoned sentence'),
    { topic: 'litmine.articles', partition: 0, offset: '12' },
    'pmid:7001',
    '{"schema":"litmine.article"}',
  );
  return [
    ...articles,
    ...deletes,
    ...annotations,
    ...outputs.flatMap((o) => [...o.entities, ...o.relations]),
    JSON.parse(String(deadLetter.value)) as DeadLetter,
  ];
}

test('the printed schemas accept every record litmine produces from a tiny PubMed file and JATS article', async (t) => {
  const validators = await printedValidators();
  t.deepEqual([...validators.keys()].sort(), [
    'litmine.annotation',
    'litmine.article',
    'litmine.article-delete',
    'litmine.dead-letter',
    'litmine.entity',
    'litmine.relation',
  ]);
  const records = await producedRecords();
  const problems: string[] = [];
  const counts: Record<string, number> = {};
  for (const record of records) {
    // What a consumer reads off a topic: the JSON, not the in-memory object.
    const value: unknown = JSON.parse(JSON.stringify(record));
    counts[record.schema] = (counts[record.schema] ?? 0) + 1;
    const validate = validators.get(record.schema)!;
    if (!validate(value)) problems.push(`${record.schema}: ${JSON.stringify(validate.errors)}`);
  }
  t.deepEqual(problems, []);
  t.deepEqual(counts, {
    'litmine.article': 2,
    'litmine.article-delete': 1,
    'litmine.annotation': 2,
    // PubMed abstract: cisplatin, nephrotoxicity; JATS title and abstract: aspirin, asthma; JATS body: cisplatin.
    'litmine.entity': 7,
    // One chemical–disease pair per sentence that has both.
    'litmine.relation': 3,
    'litmine.dead-letter': 1,
  });
  const normalized = records.filter((r): r is EntityRecord => r.schema === 'litmine.entity' && r.id !== undefined);
  t.deepEqual(
    normalized.map((r) => r.key),
    ['Chemical:MESH:D002945', 'Disease:MESH:D058186', 'Chemical:MESH:D002945'],
  );
});

test('the printed article schema keeps its enums, patterns and closed objects', async (t) => {
  const validate = (await printedValidators()).get('litmine.article')!;
  const [article] = await producedRecords();
  const problems = (value: object) => (validate(value) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`));
  t.deepEqual(problems(article!), []);
  t.deepEqual(problems({ ...article, source: 'arxiv' }), ['/source enum']);
  t.deepEqual(problems({ ...article, pmcid: '7001' }), ['/pmcid pattern']);
  t.deepEqual(problems({ ...article, extra: true }), [' additionalProperties']);
  t.deepEqual(problems({ ...article, dates: { published: '2019', history: { received: 5 } } }), ['/dates/history/received type']);
  t.deepEqual(problems({ ...article, schemaVersion: 1 }), ['/schemaVersion const']);
});
