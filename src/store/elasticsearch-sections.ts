/**
 * The section filter's pieces for Elasticsearch: the sections an article's passages carry (written
 * onto their sentence documents), and the query keeping sentences of a section or a path under it.
 *
 *   filter: [sectionQuery('Results')]   // "Results", "results > Localization"; not "Localization"
 */
import type { estypes } from '@elastic/elasticsearch';
import type { Article } from '../records/types.js';

/** Passage id → section, for the passages that have one. */
export function passageSections(article: Article): Map<string, string> {
  return new Map(article.passages.flatMap((p) => (p.section ? [[p.id, p.section] as const] : [])));
}

/** A sentence's section is `section` or a path under it ("Results" takes "Results > Localization"), case-insensitively. */
export function sectionQuery(section: string): estypes.QueryDslQueryContainer {
  const label = section.trim();
  return {
    bool: {
      should: [
        { term: { section: { value: label, case_insensitive: true } } },
        { prefix: { section: { value: `${label} > `, case_insensitive: true } } },
      ],
      minimum_should_match: 1,
    },
  };
}
