/**
 * `<DeleteCitation>` (the tail of a PubMed daily update file) → one ArticleDelete per PMID, which
 * the articles topic carries as a tombstone for that document id. Pure.
 *
 *   pubmedDeletes('<DeleteCitation><PMID Version="1">23203860</PMID></DeleteCitation>')
 *     → [{ schema: 'litmine.article-delete', id: 'pmid:23203860', pmid: '23203860', version: 1, … }]
 */
import { LitmineError } from '../errors.js';
import { documentId } from '../records/ids.js';
import { type ArticleDelete, SCHEMA_VERSION } from '../records/types.js';
import { compact } from './compact.js';
import { recordElement } from './parse-record-xml.js';
import { attr, childElements, cleanText, type XmlElement } from './xml-element.js';

/** `origin.index` is the index of the first delete; each following PMID takes the next one. */
export function pubmedDeletes(input: XmlElement | string, origin?: { file: string; index: number }): ArticleDelete[] {
  const el = recordElement(input);
  if (el.name !== 'DeleteCitation') throw new LitmineError('LITMINE_PARSE_UNSUPPORTED', `<${el.name}> is not a DeleteCitation`);
  const out: ArticleDelete[] = [];
  for (const pmidEl of childElements(el, 'PMID')) {
    const pmid = cleanText(pmidEl);
    if (!/^\d+$/.test(pmid)) throw new LitmineError('LITMINE_PARSE_XML', `DeleteCitation has a bad PMID "${pmid}"`);
    const versionText = attr(pmidEl, 'Version');
    out.push(
      compact<ArticleDelete>({
        schema: 'litmine.article-delete',
        schemaVersion: SCHEMA_VERSION,
        id: documentId({ pmid }),
        pmid,
        version: versionText && /^\d+$/.test(versionText) ? Number(versionText) : undefined,
        origin: origin ? { file: origin.file, index: origin.index + out.length } : undefined,
      }),
    );
  }
  return out;
}
