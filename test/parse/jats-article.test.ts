/**
 * JATS → Article on a small self-written article: ids, nested section paths, paragraphs with inline
 * markup and xref markers, float captions, references and back matter kept out, licence, and
 * pmc-articleset answers with several articles.
 */
import test from 'ava';
import { jatsArticle } from '../../src/parse/jats-article.js';
import { blockText } from '../../src/parse/jats-block-text.js';
import { parseRecordXml } from '../../src/parse/parse-record-xml.js';
import { parseXmlStream } from '../../src/parse/parse-xml-file.js';
import { articles, chunked, collect } from './helpers.js';

function jats(pmcid: string, opts: { pmid?: string; body?: boolean } = {}): string {
  const body =
    opts.body === false
      ? ''
      : `<body>
<p>Lead paragraph.</p>
<sec id="s1"><title>Introduction</title>
  <p>Cells grow <xref ref-type="bibr" rid="r1">[1]</xref>, <italic>in vitro</italic> at 37&#xB0;C.</p>
  <sec id="s1a"><title>Sub <italic>part</italic></title>
    <p>Nested text with <inline-formula><mml:math><mml:mi>x</mml:mi><mml:mo>=</mml:mo><mml:mn>1</mml:mn></mml:math></inline-formula>.</p>
    <fig id="f1"><label>Figure 1</label><caption><title>Growth.</title><p>Cells &amp; more.</p></caption><graphic xlink:href="f1.tif"/></fig>
    <p>Inline float <table-wrap id="t1"><caption><p>Table caption.</p></caption><table><tr><td><p>cell</p></td></tr></table></table-wrap>after.</p>
  </sec>
</sec>
<sec><title>Methods</title><list><list-item><p>Step one.</p></list-item></list><p>   </p></sec>
<ref-list><ref id="r9"><mixed-citation>Body ref.</mixed-citation></ref></ref-list>
</body>`;
  return `<article xmlns:mml="http://www.w3.org/1998/Math/MathML" xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" xml:lang="EN">
<?properties open_access?>
<front><journal-meta><journal-id journal-id-type="nlm-ta">Test J</journal-id><journal-title-group><journal-title>Test Journal</journal-title></journal-title-group><issn pub-type="epub">1111-2222</issn></journal-meta>
<article-meta>
${opts.pmid ? `<article-id pub-id-type="pmid">${opts.pmid}</article-id>` : ''}<article-id pub-id-type="pmc">${pmcid}</article-id><article-id pub-id-type="doi">10.9999/j.${pmcid}</article-id><article-id pub-id-type="publisher-id">X-${pmcid}</article-id>
<title-group><article-title>A <italic>made-up</italic> study</article-title></title-group>
<contrib-group><contrib contrib-type="author"><contrib-id contrib-id-type="orcid">https://orcid.org/0000-0000-0000-0002</contrib-id><name><surname>Roe</surname><given-names>Rick</given-names></name><xref ref-type="aff" rid="a1"><sup>1</sup></xref></contrib>
<contrib contrib-type="author"><collab>Test Group</collab></contrib><contrib contrib-type="editor"><name><surname>Ed</surname></name></contrib>
<aff id="a1"><label>1</label>Dept of Tests, <institution>Nowhere University</institution></aff></contrib-group>
<pub-date pub-type="epub"><day>5</day><month>6</month><year>2021</year></pub-date><pub-date pub-type="collection"><year>2021</year></pub-date>
<volume>3</volume><issue>2</issue>
<history><date date-type="received"><day>1</day><month>1</month><year>2021</year></date></history>
<permissions><license xlink:href="https://creativecommons.org/licenses/by/4.0/"><license-p>CC BY text.</license-p></license></permissions>
<abstract><sec><title>Background</title><p>Why <bold>we</bold> did it.</p></sec><sec><title>Results</title><p>What we found.</p></sec></abstract>
<abstract abstract-type="summary"><title>Author Summary</title><p>Plain words.</p></abstract>
<kwd-group><kwd>tests</kwd><kwd> xml </kwd></kwd-group>
</article-meta></front>
${body}
<back><ack><p>Thanks.</p></ack><ref-list><ref id="r1"><mixed-citation>Ref one.</mixed-citation></ref></ref-list></back>
</article>`;
}

test('a JATS article maps to an Article with sections, captions and licence; back matter stays out', (t) => {
  const a = jatsArticle(jats('PMC123', { pmid: '456' }), { file: 'a.nxml', index: 0 });
  t.like(a, {
    schema: 'litmine.article',
    schemaVersion: 2,
    id: 'pmid:456',
    version: 1,
    source: 'pmc',
    pmid: '456',
    pmcid: 'PMC123',
    doi: '10.9999/j.PMC123',
    otherIds: { 'publisher-id': 'X-PMC123' },
    title: 'A made-up study',
    journal: { title: 'Test Journal', isoAbbreviation: 'Test J', issn: '1111-2222', volume: '3', issue: '2' },
    languages: ['eng'],
    publicationTypes: ['research-article'],
    keywords: ['tests', 'xml'],
    license: 'https://creativecommons.org/licenses/by/4.0/',
    fullText: true,
    dates: { published: '2021', electronic: '2021-06-05', history: { received: '2021-01-01' } },
    origin: { file: 'a.nxml', index: 0 },
  });
  t.deepEqual(a.authors, [
    {
      lastName: 'Roe',
      foreName: 'Rick',
      orcid: 'https://orcid.org/0000-0000-0000-0002',
      affiliations: ['Dept of Tests, Nowhere University'],
    },
    { collectiveName: 'Test Group', affiliations: [] },
  ]);
  t.deepEqual(a.passages, [
    { id: 'title', kind: 'title', text: 'A made-up study' },
    { id: 'abstract.0', kind: 'abstract', section: 'Background', text: 'Why we did it.' },
    { id: 'abstract.1', kind: 'abstract', section: 'Results', text: 'What we found.' },
    { id: 'otherAbstract.0', kind: 'other', section: 'Author Summary', text: 'Plain words.' },
    { id: 'body.0', kind: 'body', text: 'Lead paragraph.' },
    { id: 'body.1', kind: 'body', section: 'Introduction', text: 'Cells grow [1], in vitro at 37°C.' },
    { id: 'body.2', kind: 'body', section: 'Introduction > Sub part', text: 'Nested text with x=1.' },
    { id: 'caption.f1', kind: 'caption', section: 'Introduction > Sub part', text: 'Growth.\nCells & more.' },
    { id: 'body.3', kind: 'body', section: 'Introduction > Sub part', text: 'Inline float after.' },
    { id: 'caption.t1', kind: 'caption', section: 'Introduction > Sub part', text: 'Table caption.' },
    { id: 'body.4', kind: 'body', section: 'Methods', text: 'Step one.' },
  ]);
  const all = a.passages.map((p) => p.text).join('\n');
  for (const kept of ['Ref one', 'Body ref', 'Thanks', 'cell']) t.false(all.includes(kept), kept);
});

test('a JATS article without body is not full text; without PMID its id is the PMCID', (t) => {
  const a = jatsArticle(jats('789', { body: false }));
  t.like(a, { id: 'pmc:PMC789', pmcid: 'PMC789', fullText: false });
  t.false(a.passages.some((p) => p.kind === 'body'));
});

test('licence text is used when the licence has no link', (t) => {
  const xml = jats('1').replace(' xlink:href="https://creativecommons.org/licenses/by/4.0/"', '');
  t.is(jatsArticle(xml).license, 'CC BY text.');
});

test('a pmc-articleset yields each article', async (t) => {
  const set = `<?xml version="1.0" ?>\n<!DOCTYPE pmc-articleset PUBLIC "-//NLM//DTD ARTICLE SET 2.0//EN" "https://dtd.nlm.nih.gov/ncbi/pmc/articleset/nlm-articleset-2.0.dtd">\n<pmc-articleset>${jats('1', { pmid: '11' })}${jats('2', { body: false })}</pmc-articleset>`;
  const out = await collect(parseXmlStream(chunked(set, 97), 'set.xml'));
  t.deepEqual(
    articles(out).map((a) => [a.id, a.fullText]),
    [
      ['pmid:11', true],
      ['pmc:PMC2', false],
    ],
  );
});

test('block elements are separated by one "\\n" where their texts would touch; inline markup adds nothing', (t) => {
  const el = parseRecordXml(
    '<p>Steps:<list><list-item><p>one</p></list-item><list-item><p>two</p></list-item></list>' +
      '<disp-formula><label>(1)</label>a=b</disp-formula><disp-formula>c=d</disp-formula>' +
      'then CO<sub>2</sub> <italic>in vivo</italic>.<fig><caption><p>gone</p></caption></fig>Next <p> spaced </p> end</p>',
  );
  t.is(blockText(el, new Set(['fig'])), 'Steps:\none\ntwo\n(1)\na=b\nc=d\nthen CO2 in vivo.\nNext  spaced  end');
});
