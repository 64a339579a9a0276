/**
 * What the XML parsers yield, one per record of the input file, in file order: an article, a
 * delete (one per PMID of a DeleteCitation), or an error for a record that could not be parsed
 * (the file goes on) or, last, for the file itself (truncated gzip, not XML, entity declarations).
 * An article whose bytes held invalid UTF-8 is kept (each bad sequence is one U+FFFD, so the text
 * and its offsets stay usable) and says how many U+FFFD its XML has in `replacementChars`; control
 * characters other than tab and newline are dropped from its texts and counted in `controlChars`.
 *
 *   for await (const r of parseXmlFile('pubmed26n1335.xml.gz')) if (r.kind === 'delete') tombstone(r.delete.id);
 */
import type { LitmineError } from '../errors.js';
import type { Article, ArticleDelete } from '../records/types.js';

export type ParsedRecord =
  | { kind: 'article'; article: Article; index: number; replacementChars?: number; controlChars?: number }
  | { kind: 'delete'; delete: ArticleDelete; index: number }
  /** `file` names the input the record came from (for the dead letter's source). */
  | { kind: 'error'; error: LitmineError; index: number; raw?: string; file?: string };
