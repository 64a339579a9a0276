/**
 * An article's prose as sentences, for the pre-training corpus: the title and every passage (abstract,
 * body, captions) cut by the project's segmenter, and the article's publication date as a sortable
 * day range (for `--since` and the manifest's date range).
 *
 *   articleSentences(article) // ['Cisplatin nephrotoxicity.', 'Cisplatin is …', …]
 */
import type { Article } from '../records/types.js';
import { segmentSentences } from '../text/segment-sentences.js';

export function articleSentences(article: Article): string[] {
  const out: string[] = [];
  const passages = article.passages.some((p) => p.kind === 'title')
    ? article.passages
    : [{ id: 'title', kind: 'title' as const, text: article.title }, ...article.passages];
  for (const p of passages) {
    for (const s of segmentSentences(p.text)) {
      const text = p.text.slice(s.start, s.end).replace(/\s+/g, ' ').trim();
      if (text) out.push(text);
    }
  }
  return out;
}

/** Earliest and latest day the article's date can mean ("2019" → 2019-01-01 … 2019-12-31), or null. */
export function articleDateRange(article: Article): { first: string; last: string } | null {
  const raw = article.dates.published ?? article.dates.electronic ?? article.dates.medlineDate?.match(/\d{4}/)?.[0];
  const m = raw?.match(/^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/);
  if (!m) return null;
  const [, y, mo, d] = m;
  if (d) return { first: `${y}-${mo}-${d}`, last: `${y}-${mo}-${d}` };
  if (mo) {
    const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    return { first: `${y}-${mo}-01`, last: `${y}-${mo}-${String(days).padStart(2, '0')}` };
  }
  return { first: `${y}-01-01`, last: `${y}-12-31` };
}
