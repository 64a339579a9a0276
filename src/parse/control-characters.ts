/**
 * Control characters (Unicode Cc) other than tab and newline are dropped from every text of a
 * parsed article — title and the other metadata, passages too — and counted, as invalid UTF-8 is:
 * a NUL or a form feed in a title breaks the exports (XML 1.0 cannot hold them), terminals and
 * queries, and carries no meaning. A metadata field that lost one is put under the whitespace
 * policy again; a passage keeps its text otherwise as parsed (mention offsets are taken after this).
 *
 *   const dropped = dropControlCharacters(article);   // 2: "A\u0000 title\u0007" → "A title"
 */
import type { Article } from '../records/types.js';
import { normaliseSpace } from './xml-element.js';

// XML line ends are already LF, so CR here came from a character reference and goes too.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Removes them in place; returns how many were removed. */
export function dropControlCharacters(article: Article): number {
  let dropped = 0;
  const clean = (text: string, metadata: boolean): string => {
    const out = text.replace(CONTROL, () => {
      dropped++;
      return '';
    });
    return out.length !== text.length && metadata ? normaliseSpace(out) : out;
  };
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return clean(value, true);
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object') visitFields(value as Record<string, unknown>);
    return value;
  };
  const visitFields = (o: Record<string, unknown>, skip: (key: string) => boolean = () => false): void => {
    for (const key of Object.keys(o)) if (!skip(key)) o[key] = visit(o[key]);
  };
  // `origin` says where the record came from; passages are cleaned apart, their text without the whitespace policy.
  visitFields(article as unknown as Record<string, unknown>, (key) => key === 'origin' || key === 'passages');
  for (const p of article.passages) {
    p.text = clean(p.text, false);
    visitFields(p as unknown as Record<string, unknown>, (key) => key === 'text');
  }
  return dropped;
}
