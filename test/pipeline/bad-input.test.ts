// `litmine run --from` over a folder mixing real PubMed XML with inputs the test writes itself — a
// malformed file, a truncated gzip and an XML bomb: each bad input gives a clear dead letter naming
// the file, record and reason, and no record of the good files is lost.
import test from 'ava';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { parseXmlFile } from '../../src/parse/parse-xml-file.js';
import type { DeadLetter } from '../../src/records/types.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { TINY_NER } from '../nlp/tiny-models.js';
import { litmine } from './cli-io.js';

const sharedTest = hasSharedData ? test : test.skip;
process.env.LITMINE_NER_MODEL = TINY_NER;
process.env.LITMINE_RE_MODEL = 'none';

sharedTest('bad files are dead-lettered with file, record and reason; every good record is indexed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-bad-'));
  const input = join(dir, 'input');
  mkdirSync(input);
  // The real file goes to a temporary folder beside the bad inputs, never into the repository.
  const real = sharedPath('pubmed-xml', 'fatcat', 'pubmedsample_2019.xml');
  copyFileSync(real, join(input, 'a-real.xml'));
  writeFileSync(
    join(input, 'b-malformed.xml'),
    '<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Unclosed <b>title</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n',
  );
  const gz = gzipSync(
    Buffer.from('<?xml version="1.0"?>\n<PubmedArticleSet>\n' + '<!-- padding -->\n'.repeat(2000) + '</PubmedArticleSet>\n'),
  );
  writeFileSync(join(input, 'c-truncated.xml.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  const lol = [
    '<!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
  ].join('\n');
  writeFileSync(
    join(input, 'd-bomb.xml'),
    `<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n${lol}\n]>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n`,
  );

  let expected = 0;
  for await (const r of parseXmlFile(real)) if (r.kind === 'article') expected++;

  const run = await litmine('run', '--data-dir', join(dir, 'data'), '--from', input);
  t.is(run.code, 0, run.err);
  const status = JSON.parse((await litmine('status', '--data-dir', join(dir, 'data'), '--json')).out);
  t.is(status.articles, expected, 'every record of the good file is in the store');

  const log = openEmbeddedLog(join(dir, 'data', 'log.sqlite'));
  const dead = (await log.readAll('litmine.dead-letters')).map((m) => JSON.parse(m.value!.toString()) as DeadLetter);
  await log.close();
  const byFile = (name: string) => dead.filter((d) => d.message.includes(name));
  t.is(byFile('b-malformed.xml')[0]?.code, 'LITMINE_PARSE_XML');
  t.regex(byFile('b-malformed.xml')[0]?.message ?? '', /b-malformed\.xml.*record 0.*\d+:\d+/);
  t.is(byFile('c-truncated.xml.gz')[0]?.code, 'LITMINE_INPUT_GZIP');
  t.is(byFile('d-bomb.xml')[0]?.code, 'LITMINE_PARSE_ENTITY');
  t.true(dead.every((d) => d.stage === 'ingest'));
});
