/**
 * `litmine ingest` over a folder as careless hands leave it: real PubMed XML beside a dangling
 * symbolic link, a pair of links that point at each other, a malformed record and a text file.
 * The unreadable entries are skipped with their code, every record of the real file goes in, and the
 * summary names the files whose records went to the dead-letter topic, with their codes.
 */
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXmlFile } from '../../src/parse/parse-xml-file.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { litmine } from '../pipeline/cli-io.js';

const MALFORMED =
  '<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Unclosed <b>title</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n';

function folder(): { root: string; input: string } {
  const root = mkdtempSync(join(tmpdir(), 'litmine-ingest-inputs-'));
  const input = join(root, 'input');
  mkdirSync(input);
  return { root, input };
}

sharedTest('dangling and looping links are skipped with a code; dead-lettered files are listed with theirs', async (t) => {
  const { root, input } = folder();
  const real = sharedPath('pubmed-xml', 'fatcat', 'pubmedsample_2019.xml');
  copyFileSync(real, join(input, 'a-real.xml'));
  writeFileSync(join(input, 'b-malformed.xml'), MALFORMED);
  symlinkSync(join(input, 'moved-away.xml'), join(input, 'c-gone.xml'));
  symlinkSync(join(input, 'e-loop.xml'), join(input, 'd-loop.xml'));
  symlinkSync(join(input, 'd-loop.xml'), join(input, 'e-loop.xml'));
  writeFileSync(join(input, 'notes.txt'), 'not XML\n');
  let expected = 0;
  let deletes = 0;
  for await (const r of parseXmlFile(real)) {
    if (r.kind === 'article') expected++;
    if (r.kind === 'delete') deletes++;
  }

  const r = await litmine('ingest', '--data-dir', join(root, 'data'), '--from', input);
  t.is(r.code, 0, r.err);
  t.regex(
    r.out,
    new RegExp(
      `ingested ${expected} articles and ${deletes} deletes into litmine\\.articles; 1 bad records went to litmine\\.dead-letters`,
    ),
  );
  t.regex(r.out, /dead-lettered to litmine\.dead-letters: \S*b-malformed\.xml \(1 LITMINE_PARSE_XML\)/);
  t.regex(r.out, /skipped \S*c-gone\.xml: LITMINE_INPUT_NOT_FOUND: a symbolic link to a missing file/);
  t.regex(r.out, /skipped \S*d-loop\.xml: LITMINE_INPUT_NOT_FOUND: a symbolic link that cannot be followed \(ELOOP\)/);
  t.regex(r.out, /skipped \S*e-loop\.xml: LITMINE_INPUT_NOT_FOUND/);
  t.notRegex(`${r.out}\n${r.err}`, /LITMINE_INTERNAL|ENOENT/);

  const status = JSON.parse((await litmine('status', '--data-dir', join(root, 'data'), '--json')).out);
  const articles = status.topics.find((topic: { name: string }) => topic.name === 'litmine.articles');
  t.is(articles.messages, expected + deletes, 'every record of the real file is on the articles topic');
});

sharedTest('a folder holding only a dangling link says so with its code', async (t) => {
  const { root, input } = folder();
  symlinkSync(join(input, 'moved-away.xml'), join(input, 'gone.xml'));
  const r = await litmine('ingest', '--data-dir', join(root, 'data'), '--from', input);
  t.is(r.code, 1);
  t.regex(r.err, /LITMINE_INPUT_NOT_FOUND: no XML input in .* \(1 unreadable: \S*gone\.xml: a symbolic link to a missing file\)/);
});
