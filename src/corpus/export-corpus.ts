/**
 * `litmine corpus export`'s work: the latest version of every article on the articles topic (deletes
 * honoured), optionally only those published since a date, as sentences — deduplicated across the
 * whole export and with any excluded (evaluation) sentence left out — into a CorpusWriter.
 *
 *   const stats = await exportCorpus({ log, topic: 'litmine.articles', writer, exclude, since: '2020-01-01' });
 */
import type { Log } from '../log/log.js';
import { decodeRecord } from '../records/encode.js';
import type { Article } from '../records/types.js';
import { articleDateRange, articleSentences } from './article-text.js';
import type { CorpusWriter } from './corpus-writer.js';
import { normaliseSentence } from './normalise-sentence.js';

export interface ExportOptions {
  log: Log;
  topic: string;
  writer: CorpusWriter;
  exclude?: ReadonlySet<string>;
  /** Keep articles whose publication date can be on or after this day (YYYY[-MM[-DD]]). */
  since?: string;
  onArticle?: () => void;
}

export interface ExportStats {
  articles: number;
  deleted: number;
  beforeSince: number;
  undated: number;
  sentencesExcluded: number;
  sentencesDuplicate: number;
  unreadable: { key: string; reason: string }[];
  dateRange: { from: string; to: string } | null;
}

export async function exportCorpus(options: ExportOptions): Promise<ExportStats> {
  const { log, topic, writer } = options;
  const latest = new Map<string, Buffer | null>();
  for (const m of await log.readAll(topic)) if (m.key !== null) latest.set(m.key, m.value);
  const stats: ExportStats = {
    articles: 0,
    deleted: 0,
    beforeSince: 0,
    undated: 0,
    sentencesExcluded: 0,
    sentencesDuplicate: 0,
    unreadable: [],
    dateRange: null,
  };
  const since = options.since ? articleDateRange({ dates: { published: options.since } } as Article)?.first : undefined;
  const seen = new Set<string>();
  for (const [key, value] of [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (value === null) {
      stats.deleted += 1;
      continue;
    }
    let article: Article;
    try {
      article = decodeRecord<Article>(value, `${topic} key ${key}`);
    } catch (err) {
      stats.unreadable.push({ key, reason: (err as Error).message });
      continue;
    }
    const range = articleDateRange(article);
    if (since && !range) {
      stats.undated += 1;
      continue;
    }
    if (since && range && range.last < since) {
      stats.beforeSince += 1;
      continue;
    }
    const keep: string[] = [];
    for (const s of articleSentences(article)) {
      const k = normaliseSentence(s);
      if (!k) continue;
      if (options.exclude?.has(k)) stats.sentencesExcluded += 1;
      else if (seen.has(k)) stats.sentencesDuplicate += 1;
      else {
        seen.add(k);
        keep.push(s);
      }
    }
    writer.add(article.id, keep);
    stats.articles += 1;
    if (range) {
      const r = stats.dateRange;
      stats.dateRange = { from: !r || range.first < r.from ? range.first : r.from, to: !r || range.last > r.to ? range.last : r.to };
    }
    options.onArticle?.();
  }
  return stats;
}
