// The daily job with the committed models on real PubMed XML: real mentions land on exact
// characters of their passages, relations are found, and `litmine relations` and `litmine search`
// answer from them.
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import type { Annotation, Article } from '../../src/records/types.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { hasRealNer, hasRealRe } from '../nlp/tiny-models.js';
import { litmine } from './cli-io.js';

const it = hasSharedData && hasRealNer && hasRealRe ? test : test.skip;

it("litmine run writes the real models' mentions and relations, and relations/search answer from them", async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'litmine-real-')), 'data');
  const run = await litmine('run', '--data-dir', dir, '--from', sharedPath('pubmed-xml', 'fatcat'));
  t.is(run.code, 0, run.err);
  const status = JSON.parse((await litmine('status', '--data-dir', dir, '--json')).out);
  t.true(status.mentions > status.articles, `${status.mentions} mentions in ${status.articles} articles`);
  t.true(status.relations > 0, 'relations found');

  // Mentions point at exact characters of their passages, with the model's types.
  const log = openEmbeddedLog(join(dir, 'log.sqlite'));
  const articles = new Map(
    (await log.readAll('litmine.articles')).filter((m) => m.value).map((m) => [m.key, JSON.parse(m.value!.toString()) as Article]),
  );
  const annotations = (await log.readAll('litmine.annotations'))
    .filter((m) => m.value)
    .map((m) => JSON.parse(m.value!.toString()) as Annotation);
  await log.close();
  const types = new Set<string>();
  for (const a of annotations) {
    const passages = new Map(articles.get(a.documentId)!.passages.map((p) => [p.id, p.text]));
    for (const m of a.mentions) {
      t.is(passages.get(m.passageId)!.slice(m.start, m.end), m.text);
      types.add(m.type);
    }
  }
  for (const type of ['Disease', 'Chemical', 'Gene']) t.true(types.has(type), `${type} mentions found`);

  // `litmine relations` answers for the subject of some relation, with evidence sentences.
  const facets = JSON.parse((await litmine('facets', '--data-dir', dir, 'Chemical', '--json')).out) as { key: string }[];
  let answered = false;
  for (const f of facets.slice(0, 10)) {
    const rel = JSON.parse((await litmine('relations', '--data-dir', dir, f.key, '--json')).out);
    if (rel.relations.length > 0) {
      t.true(rel.relations[0].evidence[0].sentence.length > 0);
      answered = true;
      break;
    }
  }
  t.true(answered, 'some chemical has relations with evidence');
  const search = JSON.parse((await litmine('search', '--data-dir', dir, 'cancer', '--entity-type', 'Disease', '--json')).out);
  t.true(search.total > 0);
});
