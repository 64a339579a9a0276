/** Self-written Article records for topology tests (not PubMed text). */
import { SCHEMA_VERSION, type Article } from '../../src/records/types.js';

export function article(pmid: string, abstract: string, overrides: Partial<Article> = {}): Article {
  return {
    schema: 'litmine.article',
    schemaVersion: SCHEMA_VERSION,
    id: `pmid:${pmid}`,
    version: 1,
    source: 'pubmed',
    pmid,
    title: `Test article ${pmid}`,
    passages: [
      { id: 'title', kind: 'title', text: `Test article ${pmid}` },
      { id: 'abstract.0', kind: 'abstract', text: abstract },
    ],
    journal: { title: 'Journal of Tests' },
    authors: [],
    languages: ['eng'],
    publicationTypes: ['Journal Article'],
    mesh: [],
    chemicals: [],
    keywords: [],
    dates: { published: '2024-05-01' },
    fullText: false,
    ...overrides,
  };
}
