import test from 'ava';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseXmlFile } from '../../src/parse/parse-xml-file.js';
import { recordProblems, validateRecord } from '../../src/records/schemas.js';
import { SCHEMA_VERSION } from '../../src/records/types.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { article } from '../topologies/articles.js';

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...xmlFiles(path));
    else if (/\.(xml|nxml)(\.gz)?$/.test(name)) out.push(path);
  }
  return out;
}

sharedTest('every article and delete parsed from the real PubMed and PMC files validates against its schema', async (t) => {
  let articles = 0;
  let deletes = 0;
  const invalid: string[] = [];
  for (const folder of ['pubmed-xml', 'pubmed-xml-more', 'pmc-jats', 'pmc-jats-more']) {
    for (const file of xmlFiles(sharedPath(folder))) {
      for await (const record of parseXmlFile(file)) {
        if (record.kind === 'error') continue;
        const value = record.kind === 'article' ? record.article : record.delete;
        const problems = recordProblems(value);
        if (problems.length > 0) invalid.push(`${file} #${record.index} ${value.id}: ${problems.join('; ')}`);
        if (record.kind === 'article') articles++;
        else deletes++;
      }
    }
  }
  t.deepEqual(invalid.slice(0, 10), []);
  t.true(articles > 1300, `${articles} articles`);
  t.true(deletes > 1000, `${deletes} deletes`);
});

test('the schema rejects a record with a bad id, a missing field or a wrong version, naming the path', (t) => {
  t.deepEqual(recordProblems(article('42', 'Text.')), []);
  t.deepEqual(recordProblems({ ...article('42', 'Text.'), id: 'pubmed-42' }), [
    '/id: must match pattern "^(pmid:\\d+|pmc:PMC\\d+|doi:10\\.\\S+)$"',
  ]);
  const { title: _, ...untitled } = article('42', 'Text.');
  t.deepEqual(recordProblems(untitled), ["/: must have required property 'title'"]);
  t.deepEqual(recordProblems({ ...article('42', 'Text.'), schemaVersion: SCHEMA_VERSION + 1 }), [
    '/schemaVersion: must be equal to constant',
  ]);
  const err = t.throws(() => validateRecord({ ...article('42', 'Text.'), version: 0 }));
  t.regex(err!.message, /record pmid:42 is invalid: \/version: must be >= 1/);
  t.is((err as { code?: string }).code, 'LITMINE_RECORD_INVALID');
});
