/**
 * Test helpers for the XML parsers: collect a parse into arrays, feed text in chosen chunk sizes,
 * and tiny self-written PubMed / JATS records (made up for the tests, not copies of real ones).
 *
 *   const out = await collect(parseXmlStream(chunked(xml, 7), 'mem.xml'));
 */
import type { ParsedRecord } from '../../src/parse/parsed-record.js';

export async function collect(records: AsyncIterable<ParsedRecord>): Promise<ParsedRecord[]> {
  const out: ParsedRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

/** The text as Buffers of `size` bytes (splitting multi-byte characters on purpose). */
export async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export function articles(records: ParsedRecord[]) {
  return records.flatMap((r) => (r.kind === 'article' ? [r.article] : []));
}

export function errors(records: ParsedRecord[]) {
  return records.flatMap((r) => (r.kind === 'error' ? [r.error] : []));
}

/** A small made-up PubmedArticle; `abstract` is inserted as the Abstract element's inner XML. */
export function pubmedRecord(pmid: string, opts: { title?: string; abstract?: string; version?: number } = {}): string {
  const version = opts.version ?? 1;
  return `<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="${version}">${pmid}</PMID>
<DateRevised><Year>2020</Year><Month>01</Month><Day>02</Day></DateRevised>
<Article PubModel="Print"><Journal><ISSN IssnType="Print">1234-5678</ISSN><JournalIssue CitedMedium="Print"><Volume>7</Volume><Issue>3</Issue>
<PubDate><Year>2019</Year><Month>Mar</Month></PubDate></JournalIssue><Title>Journal of Made-up Results</Title><ISOAbbreviation>J Made Up Res</ISOAbbreviation></Journal>
<ArticleTitle>${opts.title ?? `Test article ${pmid}.`}</ArticleTitle>
<Abstract>${opts.abstract ?? `<AbstractText>Plain abstract of ${pmid}.</AbstractText>`}</Abstract>
<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Doe</LastName><ForeName>Jane Q</ForeName><Initials>JQ</Initials>
<Identifier Source="ORCID">0000-0000-0000-0001</Identifier><AffiliationInfo><Affiliation>Institute of Tests, Nowhere.</Affiliation></AffiliationInfo></Author>
<Author ValidYN="Y"><CollectiveName>The Test Consortium</CollectiveName></Author></AuthorList>
<Language>eng</Language><PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
<ArticleDate DateType="Electronic"><Year>2019</Year><Month>02</Month><Day>28</Day></ArticleDate></Article>
<ChemicalList><Chemical><RegistryNumber>0</RegistryNumber><NameOfSubstance UI="D000001">Testium</NameOfSubstance></Chemical></ChemicalList>
<MeshHeadingList><MeshHeading><DescriptorName UI="D000002" MajorTopicYN="Y">Testing</DescriptorName><QualifierName UI="Q000003" MajorTopicYN="N">methods</QualifierName></MeshHeading></MeshHeadingList>
<KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">unit tests</Keyword></KeywordList></MedlineCitation>
<PubmedData><History><PubMedPubDate PubStatus="received"><Year>2018</Year><Month>12</Month><Day>1</Day></PubMedPubDate>
<PubMedPubDate PubStatus="pubmed"><Year>2019</Year><Month>3</Month><Day>5</Day><Hour>6</Hour><Minute>0</Minute></PubMedPubDate></History>
<PublicationStatus>ppublish</PublicationStatus><ArticleIdList><ArticleId IdType="pubmed">${pmid}</ArticleId><ArticleId IdType="doi">10.9999/test.${pmid}</ArticleId>
<ArticleId IdType="pmc">PMC${pmid}</ArticleId><ArticleId IdType="pii">T-${pmid}</ArticleId></ArticleIdList>
<ReferenceList><Reference><Citation>Someone else. 2001.</Citation><ArticleIdList><ArticleId IdType="pubmed">1</ArticleId></ArticleIdList></Reference></ReferenceList>
</PubmedData></PubmedArticle>`;
}

export function pubmedSet(...records: string[]): string {
  return `<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
${records.join('\n')}
</PubmedArticleSet>
`;
}
