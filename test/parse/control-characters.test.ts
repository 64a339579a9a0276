/**
 * Control characters other than tab and newline — raw (a NUL, a bell, a form feed) or as character
 * references — are dropped from a real PubMed record's title, abstract and other metadata and
 * counted; `litmine ingest` says which file held them. The damage is done in memory or in a
 * temporary file, never stored here.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import test from 'ava';
import { dropControlCharacters } from '../../src/parse/control-characters.js';
import { parseXmlStream } from '../../src/parse/parse-xml-file.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { litmine } from '../pipeline/cli-io.js';
import { article } from '../topologies/articles.js';

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const REAL = () => sharedPath('pubmed-xml', 'fatcat', 'pubmed_19129924.xml');

/** The real record with a NUL and a bell in its title, a form feed and a &#x1; in its abstract, a NUL in its journal title. */
function damaged(): string {
  return readFileSync(REAL(), 'utf8')
    .replace('<ArticleTitle>PyMOOSE:', '<ArticleTitle>PyMOOSE\u0000\u0007:')
    .replace(/(<AbstractText[^>]*>)(\w+)/, '$1$2\u000c&#x1;')
    .replace(/<Title>(\w+)/, '<Title>$1\u0000');
}

sharedTest('a NUL in a real title is dropped, with every other control character, and counted', async (t) => {
  const records = [];
  for await (const r of parseXmlStream(Readable.from([damaged()]), 'damaged.xml')) records.push(r);
  const [r] = records;
  t.is(r?.kind, 'article');
  if (r?.kind !== 'article') return;
  t.is(r.article.title, 'PyMOOSE: Interoperable Scripting in Python for MOOSE.');
  t.is(r.article.passages[0]!.text, 'PyMOOSE: Interoperable Scripting in Python for MOOSE.');
  t.regex(r.article.passages[1]!.text, /^Python is emerging/);
  t.false(CONTROL.test(JSON.stringify(r.article.journal)), 'the journal title is clean');
  t.false(
    [r.article.title, ...r.article.passages.map((p) => p.text), r.article.journal?.title].some((s) => CONTROL.test(s ?? '')),
    'no control character is left',
  );
  // Two in the title field and two in the title passage, two in the abstract, one in the journal.
  t.is(r.controlChars, 7);

  let clean = 0;
  for await (const c of parseXmlStream(Readable.from([readFileSync(REAL(), 'utf8')]), 'clean.xml'))
    if (c.kind === 'article' && c.controlChars) clean++;
  t.is(clean, 0, 'the undamaged record counts none');
});

sharedTest('litmine ingest names the file whose articles lost control characters', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-control-'));
  mkdirSync(join(dir, 'input'));
  writeFileSync(join(dir, 'input', 'damaged.xml'), damaged());
  const r = await litmine('ingest', '--data-dir', join(dir, 'data'), '--from', join(dir, 'input'));
  t.is(r.code, 0, r.err);
  t.regex(r.out, /ingested 1 articles/);
  t.regex(r.out, /1 article kept with 7 control characters dropped \(\S*damaged\.xml: 7\)/);
});

test('metadata that loses a control character is put under the whitespace policy again; passages keep theirs', (t) => {
  const a = article('9301', 'Tab\tand newline\nstay; bell \u0007 goes.', { title: 'A \u0000 title' });
  a.passages[0]!.text = 'A \u0000 title';
  t.is(dropControlCharacters(a), 3);
  t.is(a.title, 'A title');
  t.is(a.passages[0]!.text, 'A  title');
  t.is(a.passages[1]!.text, 'Tab\tand newline\nstay; bell  goes.');
});
