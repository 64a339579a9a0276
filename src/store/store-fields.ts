/**
 * Derived fields both search stores index the same way: normalised entity text, journal keys,
 * pmid from a document id, publication dates as comparable full dates, passage texts by kind.
 *
 *   dateBound('2019-03', 'upper') → '2019-03-31';  publishedDate({ published: '2019' }) → '2019-01-01'
 */
import type { Article, ArticleDates } from '../records/types.js';

/** Case- and space-normalised text, the same normalisation as entityKey() in records/ids.ts. */
export function normText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A normalized key's identifier part ("MESH:D002945" in "Chemical:MESH:D002945") keeps its case. */
const VOCABULARY_ID = /^(MESH|NCBIGene|NCBITaxon|OMIM|MONDO):\S+$/;

/** Normalises a user-given entity key ("Disease:Breast  Cancer" → "Disease:breast cancer"); id keys stay as they are. */
export function normKey(key: string): string {
  const i = key.indexOf(':');
  if (i >= 0 && VOCABULARY_ID.test(key.slice(i + 1))) return key;
  return i < 0 ? normText(key) : `${key.slice(0, i)}:${normText(key.slice(i + 1))}`;
}

export function pmidOf(documentId: string): string | undefined {
  return documentId.startsWith('pmid:') ? documentId.slice(5) : undefined;
}

/** The journal names a journal filter matches, lowercased (full title and ISO abbreviation). */
export function journalKeys(article: Article): string[] {
  const j = article.journal;
  return [...new Set([j?.title, j?.isoAbbreviation].filter((x): x is string => !!x).map(normText))];
}

export function journalName(article: Article): string | undefined {
  return article.journal?.title ?? article.journal?.isoAbbreviation;
}

/**
 * Earliest full date of the publication date ("2019" → "2019-01-01"), falling back to the
 * electronic date, so that date-range filters compare whole dates.
 */
export function publishedDate(dates: ArticleDates): string | undefined {
  const given = dates.published ?? dates.electronic;
  return given && /^\d{4}/.test(given) ? dateBound(given, 'lower') : undefined;
}

/** Completes a partial date to the first or last day it covers, for inclusive range bounds. */
export function dateBound(date: string, side: 'lower' | 'upper'): string {
  const m = /^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?/.exec(date.trim());
  if (!m) return side === 'lower' ? '0000-01-01' : '9999-12-31';
  const year = m[1]!;
  const month = m[2] ? m[2].padStart(2, '0') : side === 'lower' ? '01' : '12';
  let day = m[3]?.padStart(2, '0');
  if (!day) {
    day = side === 'lower' ? '01' : String(new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate()).padStart(2, '0');
  }
  return `${year}-${month}-${day}`;
}

/** Title, abstract and body texts as indexed for article search (captions count as body). */
export function articleTexts(article: Article): { title: string; abstract: string; body: string } {
  const of = (kinds: string[]) =>
    article.passages
      .filter((p) => kinds.includes(p.kind))
      .map((p) => p.text)
      .join('\n');
  return { title: article.title, abstract: of(['abstract']), body: of(['body', 'caption', 'other']) };
}
