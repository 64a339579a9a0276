/**
 * Unit tests of the streaming XML parsers on small self-written inputs: the Article mapping,
 * inline-markup flattening, deletes, chunk boundaries, malformed records, truncated gzip, XML bombs,
 * files that are not XML. No shared data needed.
 */
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import type { ErrorCode } from '../../src/errors.js';
import { parseXmlFile, parseXmlStream } from '../../src/parse/parse-xml-file.js';
import { pubmedArticle } from '../../src/parse/pubmed-article.js';
import { pubmedDeletes } from '../../src/parse/pubmed-deletes.js';
import { articles, chunked, collect, errors, pubmedRecord, pubmedSet } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'litmine-parse-'));

test('a PubMed record maps to an Article with every field', async (t) => {
  const out = await collect(parseXmlStream(chunked(pubmedSet(pubmedRecord('100', { version: 3 })), 1 << 16), 'mem.xml'));
  t.is(out.length, 1);
  const [a] = articles(out);
  t.like(a, {
    schema: 'litmine.article',
    schemaVersion: 2,
    id: 'pmid:100',
    version: 3,
    source: 'pubmed',
    pmid: '100',
    pmcid: 'PMC100',
    doi: '10.9999/test.100',
    otherIds: { pii: 'T-100' },
    title: 'Test article 100.',
    journal: { title: 'Journal of Made-up Results', isoAbbreviation: 'J Made Up Res', issn: '1234-5678', volume: '7', issue: '3' },
    languages: ['eng'],
    publicationTypes: ['Journal Article'],
    keywords: ['unit tests'],
    fullText: false,
    origin: { file: 'mem.xml', index: 0 },
  });
  t.deepEqual(a?.dates, {
    published: '2019-03',
    electronic: '2019-02-28',
    history: { received: '2018-12-01', pubmed: '2019-03-05' },
    revised: '2020-01-02',
  });
  t.deepEqual(a?.authors, [
    { lastName: 'Doe', foreName: 'Jane Q', initials: 'JQ', orcid: '0000-0000-0000-0001', affiliations: ['Institute of Tests, Nowhere.'] },
    { collectiveName: 'The Test Consortium', affiliations: [] },
  ]);
  t.deepEqual(a?.mesh, [
    { descriptorUi: 'D000002', name: 'Testing', majorTopic: true, qualifiers: [{ ui: 'Q000003', name: 'methods', majorTopic: false }] },
  ]);
  t.deepEqual(a?.chemicals, [{ ui: 'D000001', name: 'Testium', registryNumber: '0' }]);
  t.deepEqual(a?.passages, [
    { id: 'title', kind: 'title', text: 'Test article 100.' },
    { id: 'abstract.0', kind: 'abstract', text: 'Plain abstract of 100.' },
  ]);
});

test('structured abstracts keep labels; inline markup and MathML flatten without losing a character', (t) => {
  const abstract =
    '<AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">CO<sub>2</sub> and <i>E. coli</i>  at 10<sup>-3</sup> M; P &lt; 0.05 &amp; &#x3b1;=&#946;.</AbstractText>' +
    '<AbstractText Label="RESULTS &amp; MORE" NlmCategory="RESULTS">Area <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mrow><mml:msup><mml:mi>r</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:mrow></mml:math> grew <b>x</b><u>y</u> <![CDATA[<raw> &amp;]]> end</AbstractText>' +
    '<AbstractText/>';
  const a = pubmedArticle(pubmedRecord('7', { title: 'A <i>title</i> with <sup>3</sup>H&#8211;thymidine ', abstract }));
  t.is(a.passages[0]?.text, 'A title with 3H\u2013thymidine ', 'the title passage keeps every character');
  t.is(a.title, 'A title with 3H\u2013thymidine', 'the title field follows the metadata whitespace policy');
  t.deepEqual(
    a.passages.filter((p) => p.kind === 'abstract'),
    [
      {
        id: 'abstract.0',
        kind: 'abstract',
        section: 'BACKGROUND',
        nlmCategory: 'BACKGROUND',
        text: 'CO2 and E. coli  at 10-3 M; P < 0.05 & α=β.',
      },
      { id: 'abstract.1', kind: 'abstract', section: 'RESULTS & MORE', nlmCategory: 'RESULTS', text: 'Area r2 grew xy <raw> &amp; end' },
    ],
  );
});

test('MedlineDate, books and MedlineCitationSet records', async (t) => {
  const medline = pubmedRecord('8').replace(
    '<PubDate><Year>2019</Year><Month>Mar</Month></PubDate>',
    '<PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>',
  );
  t.like(pubmedArticle(medline).dates, { published: '1998', medlineDate: '1998 Dec-1999 Jan' });

  const book = `<PubmedBookArticle><BookDocument><PMID Version="1">900</PMID><ArticleIdList><ArticleId IdType="bookaccession">NBK1</ArticleId></ArticleIdList>
<Book><Publisher><PublisherName>Test Press</PublisherName></Publisher><BookTitle book="t1">A Made-up Handbook</BookTitle><PubDate><Year>2010</Year></PubDate>
<AuthorList Type="editors"><Author><LastName>Editor</LastName></Author></AuthorList></Book>
<ArticleTitle part="ch1">Chapter <i>One</i></ArticleTitle><Language>eng</Language>
<AuthorList Type="authors"><Author><LastName>Writer</LastName><ForeName>W</ForeName></Author></AuthorList>
<PublicationType UI="D016454">Review</PublicationType><Abstract><AbstractText Label="INTRO">Book text.</AbstractText></Abstract></BookDocument>
<PubmedBookData><History><PubMedPubDate PubStatus="pubmed"><Year>2011</Year><Month>3</Month><Day>18</Day></PubMedPubDate></History>
<ArticleIdList><ArticleId IdType="pubmed">900</ArticleId></ArticleIdList></PubmedBookData></PubmedBookArticle>`;
  const b = pubmedArticle(book);
  t.like(b, {
    id: 'pmid:900',
    title: 'Chapter One',
    otherIds: { bookaccession: 'NBK1' },
    publicationTypes: ['Review'],
    dates: { published: '2010' },
  });
  t.deepEqual(b.authors, [{ lastName: 'Writer', foreName: 'W', affiliations: [] }]);
  t.is(b.passages[1]?.section, 'INTRO');

  const oldSet = `<?xml version="1.0"?>\n<MedlineCitationSet>\n<MedlineCitation Owner="NLM" Status="MEDLINE"><PMID>55</PMID><Article><Journal><JournalIssue><PubDate><Year>1990</Year></PubDate></JournalIssue></Journal><ArticleTitle>Old style.</ArticleTitle><Affiliation>Old Institute.</Affiliation><AuthorList><Author><LastName>Old</LastName></Author></AuthorList></Article></MedlineCitation>\n<DeleteCitation><PMID>56</PMID></DeleteCitation>\n</MedlineCitationSet>`;
  const out = await collect(parseXmlStream(chunked(oldSet, 5), 'old.xml'));
  t.deepEqual(
    out.map((r) => r.kind),
    ['article', 'delete'],
  );
  t.like(articles(out)[0], {
    id: 'pmid:55',
    version: 1,
    title: 'Old style.',
    authors: [{ lastName: 'Old', affiliations: ['Old Institute.'] }],
  });
});

test('a DeleteCitation yields one delete per PMID, with its version', async (t) => {
  const xml = pubmedSet(
    pubmedRecord('1'),
    '<DeleteCitation>\n  <PMID Version="1">11</PMID>\n  <PMID Version="2">12</PMID>\n  <PMID>13</PMID>\n</DeleteCitation>',
  );
  const out = await collect(parseXmlStream(chunked(xml, 64), 'update.xml'));
  t.deepEqual(
    out.map((r) => [r.kind, r.index]),
    [
      ['article', 0],
      ['delete', 1],
      ['delete', 2],
      ['delete', 3],
    ],
  );
  const deletes = out.flatMap((r) => (r.kind === 'delete' ? [r.delete] : []));
  t.deepEqual(deletes, [
    { schema: 'litmine.article-delete', schemaVersion: 2, id: 'pmid:11', pmid: '11', version: 1, origin: { file: 'update.xml', index: 1 } },
    { schema: 'litmine.article-delete', schemaVersion: 2, id: 'pmid:12', pmid: '12', version: 2, origin: { file: 'update.xml', index: 2 } },
    { schema: 'litmine.article-delete', schemaVersion: 2, id: 'pmid:13', pmid: '13', origin: { file: 'update.xml', index: 3 } },
  ]);
  t.deepEqual(
    pubmedDeletes('<DeleteCitation><PMID Version="4">9</PMID></DeleteCitation>').map((d) => d.version),
    [4],
  );
});

test('chunk boundaries anywhere: CDATA, comments and attributes with ">" do not cut records', async (t) => {
  const tricky = pubmedRecord('2', {
    title: 'Tricky <i attr="a > b">one</i><!-- </PubmedArticle> <PubmedArticle> --> title',
    abstract: '<AbstractText Label="x>y">A <![CDATA[</PubmedArticle><PubmedArticle>]]> b \u00e9\u4e2d\u{1F600}</AbstractText>',
  });
  const xml = pubmedSet(pubmedRecord('1'), tricky, '<?pi <PubmedArticle>?>', pubmedRecord('3'));
  const expected = await collect(parseXmlStream(chunked(xml, 1 << 20), 'x.xml'));
  t.deepEqual(
    articles(expected).map((a) => a.pmid),
    ['1', '2', '3'],
  );
  t.is(articles(expected)[1]?.title, 'Tricky one title');
  t.is(articles(expected)[1]?.passages[1]?.text, 'A </PubmedArticle><PubmedArticle> b \u00e9\u4e2d\u{1F600}');
  t.is(articles(expected)[1]?.passages[1]?.section, 'x>y');
  for (const size of [1, 2, 3, 7, 13, 64, 1000]) {
    t.deepEqual(await collect(parseXmlStream(chunked(xml, size), 'x.xml')), expected, `chunk size ${size}`);
  }
});

test('line ends are normalised (CRLF and CR become LF) even when a CRLF is split across chunks', async (t) => {
  const xml = pubmedSet(pubmedRecord('5', { abstract: '<AbstractText>one@CRLF@two\rthree</AbstractText>' }))
    .replace(/\n/g, '\r\n')
    .replace('@CRLF@', '\r\n');
  for (const size of [1, 2, 5, 4096]) {
    const [a] = articles(await collect(parseXmlStream(chunked(xml, size), 'crlf.xml')));
    t.is(a?.passages[1]?.text, 'one\ntwo\nthree');
  }
});

test('a malformed record in the middle: the error names file, record, PMID and line:column; the others come through', async (t) => {
  const broken = pubmedRecord('2').replace('<Volume>7</Volume>', '<Volume>7</Volme>');
  const xml = pubmedSet(pubmedRecord('1'), broken, pubmedRecord('3'));
  const out = await collect(parseXmlStream(chunked(xml, 100), 'broken.xml'));
  t.deepEqual(
    out.map((r) => r.kind),
    ['article', 'error', 'article'],
  );
  t.deepEqual(
    articles(out).map((a) => a.pmid),
    ['1', '3'],
  );
  const [err] = errors(out);
  t.is(err?.code, 'LITMINE_PARSE_XML');
  // The bad end tag is on the file's line 6 (3 header lines, record 1 takes lines 4 to ~15).
  const line = xml.split('\n').findIndex((l) => l.includes('</Volme>')) + 1;
  const column = (xml.split('\n')[line - 1] ?? '').indexOf('</Volme>') + 1;
  t.regex(err?.message ?? '', /^broken\.xml: record 1 \(<PubmedArticle> PMID 2\) at \d+:\d+: malformed XML/);
  t.true(err?.message.includes(`at ${line}:${column}`), `${err?.message} should point at ${line}:${column}`);
  const errRecord = out[1];
  t.true(errRecord?.kind === 'error' && errRecord.raw?.includes('</Volme>'));
});

test('an unclosed element inside a record is reported and the next record still comes through', async (t) => {
  const unclosed = pubmedRecord('2').replace('<Volume>7</Volume>', '<Volume>7');
  const cutShort = pubmedRecord('3').replace('</PubmedArticle>', '');
  const xml = pubmedSet(pubmedRecord('1'), unclosed, cutShort, pubmedRecord('4'), 'Bad & <b>text</b>', pubmedRecord('5'));
  const out = await collect(parseXmlStream(chunked(xml, 50), 'unclosed.xml'));
  t.deepEqual(
    articles(out).map((a) => a.pmid),
    ['1', '4', '5'],
  );
  const errs = errors(out);
  t.is(errs.length, 3);
  t.regex(errs[0]?.message ?? '', /record 1 \(<PubmedArticle> PMID 2\) at \d+:\d+/);
  t.regex(errs[1]?.message ?? '', /record 2 \(<PubmedArticle> PMID 3\) at \d+:\d+/);
  t.is(errs[2]?.code, 'LITMINE_PARSE_UNSUPPORTED');
  t.regex(errs[2]?.message ?? '', /^unclosed\.xml: record 4 \(<b>\) at \d+:\d+: <b> is not a PubMed or JATS record/);
  // Positions quoted inside the validator's message are file positions too.
  const opened = xml.split('\n').findIndex((l) => l.includes('<Volume>7<Issue>')) + 1;
  t.regex(errs[0]?.message ?? '', new RegExp(`opened in line ${opened}, col \\d+`));
});

test('a truncated gzip yields the records before the cut, then a LITMINE_INPUT_GZIP error', async (t) => {
  const xml = pubmedSet(
    ...Array.from({ length: 200 }, (_, i) =>
      pubmedRecord(String(1000 + i), { abstract: `<AbstractText>${'word '.repeat(50 + i)}</AbstractText>` }),
    ),
  );
  const gz = gzipSync(Buffer.from(xml));
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  const path = join(tmp, 'cut.xml.gz');
  writeFileSync(path, cut);
  const out = await collect(parseXmlFile(path));
  const last = out[out.length - 1];
  t.is(last?.kind, 'error');
  t.true(out.slice(0, -1).every((r) => r.kind === 'article'));
  t.true(out.length > 10 && out.length < 200, `${out.length} records before the cut`);
  if (last?.kind === 'error') {
    t.is(last.error.code, 'LITMINE_INPUT_GZIP');
    t.true(last.error.message.startsWith(`${path}:`));
    t.regex(last.error.message, /compressed byte \d+/);
    t.regex(last.error.message, /inside record \d+ \(<PubmedArticle>[^)]*\) that starts at \d+:1|after record \d+/);
    t.is(last.index, out.length - 1);
  }
  // A gzip detected by content, whatever the name; the whole file gives all 200.
  const whole = join(tmp, 'whole.xml');
  writeFileSync(whole, gz);
  t.is(articles(await collect(parseXmlFile(whole))).length, 200);
});

test('an XML bomb (billion laughs) is refused at once with LITMINE_PARSE_ENTITY', async (t) => {
  const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
  const bomb = `<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY lol0 "lol">\n${levels}\n]>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&lol10;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>`;
  const started = performance.now();
  const out = await collect(parseXmlStream(chunked(bomb, 256), 'bomb.xml'));
  t.true(performance.now() - started < 1000);
  t.is(out.length, 1);
  t.is(out[0]?.kind, 'error');
  if (out[0]?.kind === 'error') {
    t.is(out[0].error.code, 'LITMINE_PARSE_ENTITY');
    t.regex(out[0].error.message, /^bomb\.xml: at 2:1: /);
  }
  // An external-entity attempt is refused the same way.
  const xxe = '<?xml version="1.0"?><!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><article>&xxe;</article>';
  const [e] = errors(await collect(parseXmlStream(chunked(xxe, 9), 'xxe.xml')));
  t.is(e?.code, 'LITMINE_PARSE_ENTITY');
});

test('an undeclared entity stays literally in the text; HTML names used by JATS are decoded', (t) => {
  const a = pubmedArticle(pubmedRecord('9', { title: 'x &minus;1 &thinsp;&undeclared; &#0; &#x110000;' }));
  t.is(a.passages[0]?.text, 'x \u22121 \u2009&undeclared; &#0; &#x110000;');
});

test('files that are not PubMed or JATS XML give one clear error', async (t) => {
  const cases: [string, string, ErrorCode][] = [
    ['medline.txt', 'PMID- 123\nTI  - A MEDLINE text record\n', 'LITMINE_PARSE_XML'],
    ['rss.xml', '<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', 'LITMINE_PARSE_UNSUPPORTED'],
    ['schema.dtd', '<!-- a DTD -->\n<!ENTITY % x "y">\n<!ELEMENT a (#PCDATA)>', 'LITMINE_PARSE_UNSUPPORTED'],
    ['empty.xml', '', 'LITMINE_PARSE_XML'],
    ['json.xml', '{"a": 1}', 'LITMINE_PARSE_XML'],
  ];
  for (const [name, text, code] of cases) {
    const out = await collect(parseXmlStream(chunked(text, 4), name));
    t.is(out.length, 1, name);
    const [err] = errors(out);
    t.is(err?.code, code, name);
    t.true(err?.message.startsWith(`${name}: at `), err?.message);
  }
  const [missing] = errors(await collect(parseXmlFile(join(tmp, 'nope.xml'))));
  t.is(missing?.code, 'LITMINE_INPUT_NOT_FOUND');
});

test('a truncated plain XML file yields the complete records, then an error naming the cut record', async (t) => {
  const xml = pubmedSet(pubmedRecord('1'), pubmedRecord('2'));
  const cut = xml.slice(0, xml.indexOf('<Title>', xml.indexOf('PMID Version="1">2')));
  const out = await collect(parseXmlStream(chunked(cut, 10), 'cut.xml'));
  t.deepEqual(
    out.map((r) => r.kind),
    ['article', 'error'],
  );
  const startLine = xml.slice(0, xml.lastIndexOf('<PubmedArticle>')).split('\n').length;
  t.regex(
    errors(out)[0]?.message ?? '',
    new RegExp(
      `^cut\\.xml: at \\d+:\\d+ inside record 1 \\(<PubmedArticle> PMID 2\\) that starts at ${startLine}:1: the file ends inside <Journal>`,
    ),
  );
});

test('an empty set is fine; bare PubmedArticle and PubmedBookArticleSet roots are read', async (t) => {
  t.deepEqual(await collect(parseXmlStream(chunked('<?xml version="1.0"?>\n<PubmedArticleSet/>\n', 3), 'e.xml')), []);
  t.deepEqual(await collect(parseXmlStream(chunked('<PubmedArticleSet>\n</PubmedArticleSet>', 3), 'e.xml')), []);
  const books = `<PubmedBookArticleSet><PubmedBookArticle><BookDocument><PMID Version="1">77</PMID><Book><BookTitle>Only a book</BookTitle></Book></BookDocument></PubmedBookArticle></PubmedBookArticleSet>`;
  t.deepEqual(
    articles(await collect(parseXmlStream(chunked(books, 3), 'books.xml'))).map((a) => [a.id, a.title]),
    [['pmid:77', 'Only a book']],
  );
  const bare = await collect(parseXmlStream(chunked(pubmedRecord('42'), 3), 'bare.xml'));
  t.deepEqual(
    articles(bare).map((a) => a.id),
    ['pmid:42'],
  );
});

test('stopping early closes the file without hanging', async (t) => {
  const path = join(tmp, 'many.xml');
  writeFileSync(path, pubmedSet(...Array.from({ length: 50 }, (_, i) => pubmedRecord(String(i + 1)))));
  let n = 0;
  for await (const r of parseXmlFile(path)) {
    if (r.kind === 'article' && ++n === 3) break;
  }
  t.is(n, 3);
});

test('inputs: a Node Readable of Buffers, a Readable of strings, an async iterable of strings', async (t) => {
  const xml = pubmedSet(pubmedRecord('1'), pubmedRecord('2'));
  const ids = (out: Awaited<ReturnType<typeof collect>>) => articles(out).map((a) => a.id);
  t.deepEqual(ids(await collect(parseXmlStream(Readable.from([Buffer.from(xml)]), 'r.xml'))), ['pmid:1', 'pmid:2']);
  t.deepEqual(ids(await collect(parseXmlStream(Readable.from([xml.slice(0, 500), xml.slice(500)], { objectMode: true }), 's.xml'))), [
    'pmid:1',
    'pmid:2',
  ]);
  const strings = (async function* () {
    for (let i = 0; i < xml.length; i += 333) yield xml.slice(i, i + 333);
  })();
  t.deepEqual(ids(await collect(parseXmlStream(strings, 'i.xml'))), ['pmid:1', 'pmid:2']);
  const gz = join(tmp, 'readable.xml.gz');
  writeFileSync(gz, gzipSync(xml));
  t.deepEqual(ids(await collect(parseXmlStream(createReadStream(gz), gz))), ['pmid:1', 'pmid:2']);
});

test('records come out one at a time, before the rest of the input has been read', async (t) => {
  let sent = 0;
  async function* slowInput(): AsyncGenerator<string> {
    yield pubmedSet(pubmedRecord('1'), pubmedRecord('2')).replace('</PubmedArticleSet>', '');
    sent = 1;
    for (let i = 3; i < 100; i++) {
      yield pubmedRecord(String(i));
      sent = i;
    }
    yield '</PubmedArticleSet>';
  }
  const it = parseXmlStream(slowInput(), 'slow.xml')[Symbol.asyncIterator]();
  const first = await it.next();
  t.is(first.value?.kind, 'article');
  t.true(sent <= 1, `only the first chunk was read (sent ${sent})`);
  await it.return?.(undefined);
});

test('OtherAbstract and VernacularTitle are kept as "other" passages, apart from the abstract', (t) => {
  const xml = pubmedRecord('11')
    .replace('</ArticleTitle>', '</ArticleTitle><VernacularTitle>Titre <i>fictif</i>.</VernacularTitle>')
    .replace(
      '</Article>',
      '</Article><OtherAbstract Type="Publisher" Language="fre"><AbstractText Label="BUT">Résumé fictif.</AbstractText></OtherAbstract>',
    );
  const a = pubmedArticle(xml);
  t.deepEqual(
    a.passages.map((p) => [p.id, p.kind, p.section, p.text]),
    [
      ['title', 'title', undefined, 'Test article 11.'],
      ['abstract.0', 'abstract', undefined, 'Plain abstract of 11.'],
      ['otherAbstract.0', 'other', 'BUT', 'Résumé fictif.'],
      ['vernacularTitle', 'other', undefined, 'Titre fictif.'],
    ],
  );
});
