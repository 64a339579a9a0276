/**
 * PMC / JATS full text → Article: one `<article>` (a .nxml file, or one of the articles of a
 * `<pmc-articleset>` efetch answer), given as a parsed element or as its XML. Pure; called by
 * parseXmlStream. Body paragraphs become passages with their section path, float captions become
 * `caption` passages, and the back matter (references, acknowledgements) stays out.
 *
 *   jatsArticle('<article><front>…<article-id pub-id-type="pmc">8435807</article-id>…') → { id: 'pmid:…', source: 'pmc', … }
 */
import { LitmineError } from '../errors.js';
import { documentId, normalisePmcid } from '../records/ids.js';
import { type Article, type ArticleDates, type Author, type Journal, type Passage, SCHEMA_VERSION } from '../records/types.js';
import { compact } from './compact.js';
import { formatDate } from './format-date.js';
import { blockText } from './jats-block-text.js';
import { languageCode } from './language-code.js';
import { recordElement } from './parse-record-xml.js';
import type { RecordOrigin } from './pubmed-article.js';
import { attr, childElements, childText, cleanText, firstChild, isElement, normaliseSpace, type XmlElement } from './xml-element.js';

/** Floats: only their captions are text for us; their inner paragraphs and tables are not body text. */
const FLOATS = new Set([
  'fig',
  'fig-group',
  'table-wrap',
  'table-wrap-group',
  'supplementary-material',
  'media',
  'chem-struct-wrap',
  'graphic',
]);
/** Inside the body but not running text. */
const SKIPPED = new Set(['ref-list', 'table', 'table-wrap-foot', 'fn-group', 'sub-article', 'response', 'back']);

export function jatsArticle(input: XmlElement | string, origin?: RecordOrigin): Article {
  const el = recordElement(input);
  if (el.name !== 'article') throw new LitmineError('LITMINE_PARSE_UNSUPPORTED', `<${el.name}> is not a JATS article`);
  const front = firstChild(el, 'front');
  const meta = firstChild(front, 'article-meta');
  const journalMeta = firstChild(front, 'journal-meta');

  const ids = articleIds(meta);
  const passages = new PassageList();
  const titleEl = firstChild(meta, 'title-group', 'article-title');
  const titleText = titleEl ? blockText(titleEl) : '';
  if (titleText.trim() !== '') passages.add({ id: 'title', kind: 'title', text: titleText });
  for (const abstract of childElements(meta, 'abstract')) abstractPassages(abstract, passages);

  const body = firstChild(el, 'body');
  const before = passages.bodyCount;
  if (body) walk(body, [], false, passages);
  const hasBody = body !== undefined && passages.bodyCount > before;
  // PMC moves figures and tables to <floats-group> after the back matter; their captions still count.
  const floats = firstChild(el, 'floats-group');
  if (floats) walk(floats, [], true, passages);

  let id: string;
  if (ids.pmid || ids.pmcid) id = documentId({ pmid: ids.pmid, pmcid: ids.pmcid });
  else if (ids.doi)
    id = `doi:${ids.doi}`; // publisher JATS (PLOS) often has neither PMID nor PMCID
  else throw new LitmineError('LITMINE_PARSE_XML', 'article has no PMID, PMC id or DOI');

  return compact<Article>({
    schema: 'litmine.article',
    schemaVersion: SCHEMA_VERSION,
    id,
    version: ids.version,
    source: 'pmc',
    pmid: ids.pmid,
    pmcid: ids.pmcid,
    doi: ids.doi,
    otherIds: Object.keys(ids.otherIds).length > 0 ? ids.otherIds : undefined,
    title: normaliseSpace(titleText),
    passages: passages.list,
    journal: journal(journalMeta, meta),
    authors: authors(meta),
    languages: [languageCode(attr(el, 'xml:lang') ?? '')].filter((l) => l !== ''),
    publicationTypes: attr(el, 'article-type') ? [attr(el, 'article-type') as string] : [],
    mesh: [],
    chemicals: [],
    keywords: childElements(meta, 'kwd-group').flatMap((g) =>
      childElements(g, 'kwd')
        .map((k) => cleanText(k))
        .filter((k) => k !== ''),
    ),
    dates: dates(meta),
    license: license(firstChild(meta, 'permissions')),
    fullText: hasBody,
    origin,
  });
}

class PassageList {
  readonly list: Passage[] = [];
  private readonly ids = new Set<string>();
  bodyCount = 0;
  private abstractCount = 0;
  private otherCount = 0;
  private captionCount = 0;

  add(p: Passage): void {
    let id = p.id;
    // Ids come from the XML (figure ids) and must stay unique within the document.
    for (let n = 2; this.ids.has(id); n++) id = `${p.id}.${n}`;
    this.ids.add(id);
    this.list.push(compact({ ...p, id }));
  }
  body(text: string, section: string | undefined): void {
    this.add({ id: `body.${this.bodyCount++}`, kind: 'body', section, text });
  }
  abstract(text: string, section: string | undefined, main: boolean): void {
    if (main) this.add({ id: `abstract.${this.abstractCount++}`, kind: 'abstract', section, text });
    else this.add({ id: `otherAbstract.${this.otherCount++}`, kind: 'other', section, text });
  }
  caption(text: string, floatId: string | undefined, section: string | undefined): void {
    const n = this.captionCount++;
    this.add({ id: `caption.${floatId ?? n}`, kind: 'caption', section, text });
  }
}

/**
 * Walks body content in document order. Outermost <p> elements are paragraphs (their text content
 * without any float nested inside them); captions of floats are caption passages.
 */
function walk(el: XmlElement, path: string[], captionsOnly: boolean, out: PassageList): void {
  for (const child of el.children) {
    if (!isElement(child)) continue;
    const name = child.name;
    if (SKIPPED.has(name)) continue;
    if (name === 'caption') {
      const text = blockText(child);
      if (text.trim() !== '') out.caption(text, attr(el, 'id'), sectionOf(path));
    } else if (name === 'sec' && !captionsOnly) {
      const title = cleanText(firstChild(child, 'title'));
      walk(child, title === '' ? path : [...path, title], false, out);
    } else if (name === 'p' && !captionsOnly) {
      const text = paragraphText(child);
      if (text.trim() !== '') out.body(text, sectionOf(path));
      walk(child, path, true, out);
    } else if (name === 'title' && !captionsOnly) {
      // a section's title is its path, not a paragraph
    } else {
      walk(child, path, captionsOnly || FLOATS.has(name), out);
    }
  }
}

/** A paragraph's text without the floats nested in it (their captions are passages of their own). */
function paragraphText(p: XmlElement): string {
  return blockText(p, FLOATS);
}

function sectionOf(path: string[]): string | undefined {
  return path.length > 0 ? path.join(' > ') : undefined;
}

/** Paragraphs of one abstract; typed abstracts (author summary, TOC blurb, …) are kind 'other'. */
function abstractPassages(abstract: XmlElement, out: PassageList): void {
  const type = attr(abstract, 'abstract-type');
  const main = type === undefined || type === 'structured' || type === 'abstract';
  const ownTitle = cleanText(firstChild(abstract, 'title'));
  const start: string[] = ownTitle !== '' ? [ownTitle] : !main && type ? [type] : [];
  let found = 0;
  const visit = (el: XmlElement, path: string[]): void => {
    for (const c of el.children) {
      if (!isElement(c)) continue;
      if (c.name === 'sec') {
        const t = cleanText(firstChild(c, 'title'));
        visit(c, t === '' ? path : [...path, t]);
      } else if (c.name === 'p') {
        found++;
        const text = paragraphText(c);
        if (text.trim() !== '') out.abstract(text, sectionOf(path), main);
      } else if (c.name !== 'title') {
        visit(c, path);
      }
    }
  };
  visit(abstract, start);
  if (found === 0) {
    // An abstract written as bare text, without <p>.
    const text = blockText({ ...abstract, children: abstract.children.filter((c) => !isElement(c) || c.name !== 'title') });
    if (text.trim() !== '') out.abstract(text, sectionOf(start), main);
  }
}

interface JatsIds {
  pmid?: string;
  pmcid?: string;
  doi?: string;
  version: number;
  otherIds: Record<string, string>;
}

function articleIds(meta: XmlElement | undefined): JatsIds {
  const ids: JatsIds = { version: 1, otherIds: {} };
  for (const el of childElements(meta, 'article-id')) {
    const type = attr(el, 'pub-id-type') ?? 'unknown';
    const value = cleanText(el);
    if (value === '') continue;
    if (type === 'pmid') ids.pmid ??= value;
    else if (type === 'pmc' || type === 'pmcid') ids.pmcid ??= normalisePmcid(value);
    else if (type === 'doi') ids.doi ??= value;
    else if (type === 'pmcid-ver') {
      // "PMC8435807.2": the PMC article version
      const m = /^(?:PMC)?(\d+)\.(\d+)$/i.exec(value);
      if (m) {
        ids.pmcid ??= normalisePmcid(m[1] as string);
        ids.version = Number(m[2]);
      }
    } else if (!(type in ids.otherIds)) ids.otherIds[type] = value;
  }
  return ids;
}

function journal(journalMeta: XmlElement | undefined, meta: XmlElement | undefined): Journal | undefined {
  if (!journalMeta) return undefined;
  const journalIds = childElements(journalMeta, 'journal-id');
  const journalId = (type: string) => {
    const el = journalIds.find((j) => attr(j, 'journal-id-type') === type);
    return el ? cleanText(el) || undefined : undefined;
  };
  const j = compact<Journal>({
    title: childText(journalMeta, 'journal-title-group', 'journal-title') ?? childText(journalMeta, 'journal-title'),
    isoAbbreviation: journalId('iso-abbrev') ?? journalId('nlm-ta'),
    issn: childText(journalMeta, 'issn'),
    volume: childText(meta, 'volume'),
    issue: childText(meta, 'issue'),
  });
  return Object.keys(j).length > 0 ? j : undefined;
}

function authors(meta: XmlElement | undefined): Author[] {
  const affs = new Map<string, string>();
  const collectAffs = (el: XmlElement | undefined): void => {
    for (const c of el?.children ?? []) {
      if (!isElement(c)) continue;
      if (c.name === 'aff') {
        const id = attr(c, 'id');
        if (id) affs.set(id, affText(c));
      } else if (c.name === 'contrib-group' || c.name === 'aff-alternatives') collectAffs(c);
    }
  };
  collectAffs(meta);
  const out: Author[] = [];
  for (const group of childElements(meta, 'contrib-group')) {
    const contribs = childElements(group, 'contrib');
    // An untyped contrib is an author only in a group where nobody is typed (older author lists);
    // beside typed ones it is someone else (PLOS lists a study group's members after its collab).
    // Members nested in <collab><contrib-group> are never reached: they belong to the collab.
    const untypedRole = contribs.some((c) => attr(c, 'contrib-type') !== undefined) ? 'other' : 'author';
    for (const contrib of contribs) {
      if ((attr(contrib, 'contrib-type') ?? untypedRole) !== 'author') continue;
      const name = firstChild(contrib, 'name') ?? firstChild(contrib, 'name-alternatives', 'name');
      const orcid = childElements(contrib, 'contrib-id').find((c) => attr(c, 'contrib-id-type') === 'orcid');
      const affiliations: string[] = [];
      for (const x of childElements(contrib, 'xref')) {
        if (attr(x, 'ref-type') !== 'aff') continue;
        for (const rid of (attr(x, 'rid') ?? '').split(/\s+/)) {
          const text = affs.get(rid);
          if (text && !affiliations.includes(text)) affiliations.push(text);
        }
      }
      for (const aff of childElements(contrib, 'aff')) {
        const text = affText(aff);
        if (text && !affiliations.includes(text)) affiliations.push(text);
      }
      out.push(
        compact<Author>({
          lastName: childText(name, 'surname'),
          foreName: childText(name, 'given-names'),
          collectiveName: childText(contrib, 'collab'),
          orcid: orcid ? cleanText(orcid) || undefined : undefined,
          affiliations,
        }),
      );
    }
  }
  return out;
}

function affText(aff: XmlElement): string {
  // The label ("1", "a") is a marker, not part of the affiliation.
  return cleanText({ ...aff, children: aff.children.filter((c) => !isElement(c) || c.name !== 'label') });
}

function dates(meta: XmlElement | undefined): ArticleDates {
  const byType = new Map<string, string>();
  for (const d of childElements(meta, 'pub-date')) {
    const type = attr(d, 'pub-type') ?? attr(d, 'date-type') ?? 'pub';
    const format = attr(d, 'publication-format');
    const key = type === 'pub' && format === 'electronic' ? 'epub' : type === 'pub' && format === 'print' ? 'ppub' : type;
    const value = formatDate(d);
    if (value && !byType.has(key)) byType.set(key, value);
  }
  const published = ['ppub', 'pub', 'epub-ppub', 'collection', 'epub'].map((t) => byType.get(t)).find((v) => v);
  const history: Record<string, string> = {};
  for (const d of childElements(firstChild(meta, 'history'), 'date')) {
    const type = attr(d, 'date-type');
    const value = formatDate(d);
    if (type && value && !(type in history)) history[type] = value;
  }
  return compact<ArticleDates>({
    published,
    electronic: byType.get('epub'),
    history: Object.keys(history).length > 0 ? history : undefined,
  });
}

function license(permissions: XmlElement | undefined): string | undefined {
  const lic = firstChild(permissions, 'license');
  if (!lic) return undefined;
  const href = attr(lic, 'xlink:href');
  if (href && href.trim() !== '') return href.trim();
  const ref = childText(lic, 'ali:license_ref');
  if (ref) return ref;
  const text = childElements(lic, 'license-p')
    .map((p) => cleanText(p))
    .filter((t) => t !== '')
    .join(' ');
  return text !== '' ? text : undefined;
}
