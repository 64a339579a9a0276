/**
 * PubMed citation → Article: one `<PubmedArticle>`, `<PubmedBookArticle>` or bare `<MedlineCitation>`
 * (old MedlineCitationSet files), given as a parsed element or as its XML. Pure; called by
 * parseXmlStream for each record the scanner cuts out of an efetch answer or update file.
 *
 *   pubmedArticle('<PubmedArticle><MedlineCitation><PMID Version="2">1</PMID>…') → { id: 'pmid:1', version: 2, … }
 */
import { LitmineError } from '../errors.js';
import { documentId } from '../records/ids.js';
import {
  type Article,
  type ArticleDates,
  type Author,
  type Chemical,
  type Journal,
  type MeshHeading,
  type Passage,
  SCHEMA_VERSION,
} from '../records/types.js';
import { compact } from './compact.js';
import { formatDate } from './format-date.js';
import { languageCode } from './language-code.js';
import { recordElement } from './parse-record-xml.js';
import { attr, childElements, childText, cleanText, firstChild, normaliseSpace, textContent, type XmlElement } from './xml-element.js';

export type RecordOrigin = { file: string; index: number };

export function pubmedArticle(input: XmlElement | string, origin?: RecordOrigin): Article {
  const el = recordElement(input);
  switch (el.name) {
    case 'PubmedArticle':
      return fromCitation(firstChild(el, 'MedlineCitation'), firstChild(el, 'PubmedData'), origin);
    case 'MedlineCitation':
      return fromCitation(el, undefined, origin);
    case 'PubmedBookArticle':
      return fromBook(firstChild(el, 'BookDocument'), firstChild(el, 'PubmedBookData'), origin);
    default:
      throw new LitmineError('LITMINE_PARSE_UNSUPPORTED', `<${el.name}> is not a PubMed citation`);
  }
}

function fromCitation(mc: XmlElement | undefined, data: XmlElement | undefined, origin?: RecordOrigin): Article {
  if (!mc) throw new LitmineError('LITMINE_PARSE_XML', 'PubmedArticle without MedlineCitation');
  const article = firstChild(mc, 'Article');
  const ids = articleIds(firstChild(data, 'ArticleIdList'));
  // Pre-2014 citations carry the PMC id as <OtherID Source="NLM">PMC…</OtherID>.
  for (const other of childElements(mc, 'OtherID')) {
    const value = cleanText(other);
    if (!ids.pmcid && /^PMC\d+/.test(value)) ids.pmcid = value.split(/\s/)[0];
  }
  ids.doi ??= elocationDoi(article);
  const journalEl = firstChild(article, 'Journal');
  const passages: Passage[] = [];
  const title = textContent(firstChild(article, 'ArticleTitle'));
  if (title.trim() !== '') passages.push({ id: 'title', kind: 'title', text: title });
  // OtherAbstract sits in MedlineCitation, beside Article.
  passages.push(...abstractPassages(article, mc));
  const vernacular = textContent(firstChild(article, 'VernacularTitle'));
  if (vernacular.trim() !== '') passages.push({ id: 'vernacularTitle', kind: 'other', text: vernacular });

  const authors = authorList(childElements(article, 'AuthorList'));
  // Before 2014 the DTD had one <Affiliation> per article, belonging to the first author.
  const articleAffiliation = childText(article, 'Affiliation');
  if (articleAffiliation && authors[0] && authors[0].affiliations.length === 0) authors[0].affiliations.push(articleAffiliation);

  const pubDate = firstChild(journalEl, 'JournalIssue', 'PubDate');
  const dates = publicationDates(pubDate);
  dates.electronic = electronicDate(childElements(article, 'ArticleDate'));
  dates.history = historyDates(firstChild(data, 'History'));
  dates.revised = formatDate(firstChild(mc, 'DateRevised'));

  return build({
    pmidEl: firstChild(mc, 'PMID'),
    ids,
    title,
    passages,
    journal: compact<Journal>({
      title: childText(journalEl, 'Title'),
      isoAbbreviation: childText(journalEl, 'ISOAbbreviation'),
      issn: childText(journalEl, 'ISSN'),
      volume: childText(journalEl, 'JournalIssue', 'Volume'),
      issue: childText(journalEl, 'JournalIssue', 'Issue'),
    }),
    authors,
    languages: languages(childElements(article, 'Language')),
    publicationTypes: texts(childElements(firstChild(article, 'PublicationTypeList'), 'PublicationType')),
    mesh: meshHeadings(firstChild(mc, 'MeshHeadingList')),
    chemicals: chemicals(firstChild(mc, 'ChemicalList')),
    keywords: childElements(mc, 'KeywordList').flatMap((list) => texts(childElements(list, 'Keyword'))),
    dates,
    origin,
  });
}

function fromBook(doc: XmlElement | undefined, data: XmlElement | undefined, origin?: RecordOrigin): Article {
  if (!doc) throw new LitmineError('LITMINE_PARSE_XML', 'PubmedBookArticle without BookDocument');
  const book = firstChild(doc, 'Book');
  const ids = articleIds(firstChild(doc, 'ArticleIdList'));
  const fromData = articleIds(firstChild(data, 'ArticleIdList'));
  ids.doi ??= fromData.doi;
  ids.pmcid ??= fromData.pmcid;
  ids.pmid ??= fromData.pmid;
  ids.otherIds = { ...fromData.otherIds, ...ids.otherIds };
  // A book (or chapter) gives its DOI as Book/ELocationID, like Article/ELocationID for a journal article.
  ids.doi ??= elocationDoi(book) ?? elocationDoi(doc);

  // A chapter has its own ArticleTitle; a whole book only its BookTitle.
  const articleTitle = firstChild(doc, 'ArticleTitle');
  const title = textContent(articleTitle ?? firstChild(book, 'BookTitle'));
  const passages: Passage[] = [];
  if (title.trim() !== '') passages.push({ id: 'title', kind: 'title', text: title });
  passages.push(...abstractPassages(doc, doc));
  const vernacular = textContent(firstChild(doc, 'VernacularTitle'));
  if (vernacular.trim() !== '') passages.push({ id: 'vernacularTitle', kind: 'other', text: vernacular });

  const chapterAuthors = authorList(childElements(doc, 'AuthorList'));
  const dates = publicationDates(firstChild(book, 'PubDate'));
  dates.electronic = formatDate(firstChild(doc, 'ContributionDate'));
  dates.history = historyDates(firstChild(data, 'History'));
  dates.revised = formatDate(firstChild(doc, 'DateRevised'));

  return build({
    pmidEl: firstChild(doc, 'PMID'),
    ids,
    title,
    passages,
    journal: undefined,
    authors: chapterAuthors.length > 0 ? chapterAuthors : authorList(childElements(book, 'AuthorList')),
    languages: languages(childElements(doc, 'Language')),
    publicationTypes: [
      ...texts(childElements(doc, 'PublicationType')),
      ...texts(childElements(firstChild(doc, 'PublicationTypeList'), 'PublicationType')),
    ],
    mesh: meshHeadings(firstChild(doc, 'MeshHeadingList')),
    chemicals: chemicals(firstChild(doc, 'ChemicalList')),
    keywords: childElements(doc, 'KeywordList').flatMap((list) => texts(childElements(list, 'Keyword'))),
    dates,
    origin,
  });
}

function elocationDoi(parent: XmlElement | undefined): string | undefined {
  const loc = childElements(parent, 'ELocationID').find((l) => attr(l, 'EIdType') === 'doi');
  return loc ? cleanText(loc) || undefined : undefined;
}

interface Ids {
  pmid?: string;
  pmcid?: string;
  doi?: string;
  otherIds: Record<string, string>;
}

function articleIds(list: XmlElement | undefined): Ids {
  const ids: Ids = { otherIds: {} };
  for (const el of childElements(list, 'ArticleId')) {
    const type = attr(el, 'IdType') ?? 'unknown';
    const value = cleanText(el);
    if (value === '') continue;
    if (type === 'pubmed') ids.pmid ??= value;
    else if (type === 'doi') ids.doi ??= value;
    else if (type === 'pmc') ids.pmcid ??= value;
    else if (!(type in ids.otherIds)) ids.otherIds[type] = value;
  }
  return ids;
}

function build(parts: {
  pmidEl: XmlElement | undefined;
  ids: Ids;
  title: string;
  passages: Passage[];
  journal: Journal | undefined;
  authors: Author[];
  languages: string[];
  publicationTypes: string[];
  mesh: MeshHeading[];
  chemicals: Chemical[];
  keywords: string[];
  dates: ArticleDates;
  origin?: RecordOrigin;
}): Article {
  const pmid = (parts.pmidEl ? cleanText(parts.pmidEl) : '') || parts.ids.pmid;
  const pmcid = parts.ids.pmcid;
  if (!pmid && !pmcid) throw new LitmineError('LITMINE_PARSE_XML', 'citation has neither a PMID nor a PMC id');
  if (pmid && !/^\d+$/.test(pmid)) throw new LitmineError('LITMINE_PARSE_XML', `bad PMID "${pmid}"`);
  const versionText = attr(parts.pmidEl, 'Version');
  const version = versionText && /^\d+$/.test(versionText) ? Number(versionText) : 1;
  const otherIds = Object.keys(parts.ids.otherIds).length > 0 ? parts.ids.otherIds : undefined;
  const journal = parts.journal && Object.keys(parts.journal).length > 0 ? parts.journal : undefined;
  return compact<Article>({
    schema: 'litmine.article',
    schemaVersion: SCHEMA_VERSION,
    id: documentId({ pmid, pmcid }),
    version,
    source: 'pubmed',
    pmid,
    pmcid,
    doi: parts.ids.doi,
    otherIds,
    // The metadata field follows the whitespace policy; the title passage keeps the text as parsed.
    title: normaliseSpace(parts.title),
    passages: parts.passages,
    journal,
    authors: parts.authors,
    languages: parts.languages,
    publicationTypes: parts.publicationTypes,
    mesh: parts.mesh,
    chemicals: parts.chemicals,
    keywords: parts.keywords,
    dates: compact(parts.dates),
    fullText: false,
    origin: parts.origin,
  });
}

/**
 * One passage per AbstractText, keeping the structured-abstract Label and NlmCategory. An empty
 * AbstractText that has a Label is a heading PubMed split off the next part ("CLINICALTRIALS" then
 * "GOV ID": NCT…): its label leads the next part's section, joined as in JATS section paths.
 */
function abstractPassages(parent: XmlElement | undefined, otherParent: XmlElement | undefined): Passage[] {
  const out: Passage[] = [];
  const parts = (abstracts: XmlElement[], id: (n: number) => string, kind: Passage['kind']): void => {
    let n = 0;
    for (const abstract of abstracts) {
      let heading: string[] = [];
      for (const part of childElements(abstract, 'AbstractText')) {
        const text = textContent(part);
        const label = nonBlank(attr(part, 'Label'));
        if (text.trim() === '') {
          if (label !== undefined) heading.push(label);
          continue;
        }
        const section = [...heading, ...(label !== undefined ? [label] : [])];
        heading = [];
        out.push(
          compact<Passage>({
            id: id(n++),
            kind,
            section: section.length > 0 ? section.join(' > ') : undefined,
            nlmCategory: nonBlank(attr(part, 'NlmCategory')),
            text,
          }),
        );
      }
    }
  };
  parts(childElements(parent, 'Abstract'), (n) => `abstract.${n}`, 'abstract');
  // OtherAbstract: translations and plain-language summaries, kept apart from the abstract proper.
  parts(childElements(otherParent, 'OtherAbstract'), (n) => `otherAbstract.${n}`, 'other');
  return out;
}

function authorList(lists: XmlElement[]): Author[] {
  // Editors of a book are not its authors.
  const list = lists.find((l) => (attr(l, 'Type') ?? 'authors') === 'authors');
  return childElements(list, 'Author').map((a) => {
    const affiliations = [
      ...childElements(a, 'AffiliationInfo').map((info) => childText(info, 'Affiliation')),
      ...childElements(a, 'Affiliation').map((aff) => cleanText(aff)),
    ].filter((s): s is string => !!s);
    const orcid = childElements(a, 'Identifier').find((i) => attr(i, 'Source') === 'ORCID');
    return compact<Author>({
      lastName: childText(a, 'LastName'),
      foreName: childText(a, 'ForeName') ?? childText(a, 'FirstName'),
      initials: childText(a, 'Initials'),
      collectiveName: childText(a, 'CollectiveName'),
      orcid: orcid ? nonBlank(cleanText(orcid)) : undefined,
      affiliations,
    });
  });
}

function meshHeadings(list: XmlElement | undefined): MeshHeading[] {
  return childElements(list, 'MeshHeading').map((h) => {
    const d = firstChild(h, 'DescriptorName');
    return {
      descriptorUi: attr(d, 'UI') ?? '',
      name: cleanText(d),
      majorTopic: attr(d, 'MajorTopicYN') === 'Y',
      qualifiers: childElements(h, 'QualifierName').map((q) => ({
        ui: attr(q, 'UI') ?? '',
        name: cleanText(q),
        majorTopic: attr(q, 'MajorTopicYN') === 'Y',
      })),
    };
  });
}

function chemicals(list: XmlElement | undefined): Chemical[] {
  return childElements(list, 'Chemical').map((c) => {
    const name = firstChild(c, 'NameOfSubstance');
    return { ui: attr(name, 'UI') ?? '', name: cleanText(name), registryNumber: childText(c, 'RegistryNumber') ?? '' };
  });
}

function publicationDates(pubDate: XmlElement | undefined): ArticleDates {
  const published = formatDate(pubDate);
  if (published) return { published };
  const medlineDate = childText(pubDate, 'MedlineDate');
  if (!medlineDate) return {};
  // "1998 Dec-1999 Jan": the first year is what a date facet can use; the text is kept as given.
  const year = /\b(\d{4})\b/.exec(medlineDate)?.[1];
  return { published: year, medlineDate };
}

function electronicDate(dates: XmlElement[]): string | undefined {
  const el = dates.find((d) => (attr(d, 'DateType') ?? 'Electronic') === 'Electronic') ?? dates[0];
  return formatDate(el);
}

function historyDates(history: XmlElement | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const d of childElements(history, 'PubMedPubDate')) {
    const status = attr(d, 'PubStatus');
    const value = formatDate(d);
    if (status && value && !(status in out)) out[status] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function languages(els: XmlElement[]): string[] {
  return [...new Set(texts(els).map(languageCode))];
}

function texts(els: XmlElement[]): string[] {
  return els.map((e) => cleanText(e)).filter((s) => s !== '');
}

function nonBlank(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}
