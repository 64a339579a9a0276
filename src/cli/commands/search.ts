/**
 * `litmine search <query>`: full-text search over articles (or sentences) with filters, printing
 * ranked hits with highlighted fragments, or JSON with --json.
 *
 *   litmine search "cisplatin nephrotoxicity" --entity-type Chemical --from-date 2015 --json
 */
import type { Command } from '../command.js';
import { dateFlag, dateRange, integerFlag, MAX_LIMIT, queryText, stringFlag } from '../flag-values.js';
import { openStore } from '../open-services.js';

export const searchCommand: Command = {
  name: 'search',
  summary: 'full-text search of the indexed articles or sentences, with highlights and filters',
  usage:
    'litmine search [--] <query> [--sentences] [--journal J] [--from-date D] [--to-date D] [--entity-type T] [--entity E] [--section S] [--limit N] [--json]',
  options: {
    sentences: { type: 'boolean' },
    journal: { type: 'string' },
    'from-date': { type: 'string' },
    'to-date': { type: 'string' },
    'entity-type': { type: 'string' },
    entity: { type: 'string' },
    section: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, { config, io }) {
    const text = queryText(positionals, 'query');
    if (!text) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    // Every flag is checked before the store is opened: a bad value is a usage error, never a query.
    const limit = integerFlag(values, 'limit', { min: 1, max: MAX_LIMIT, fallback: 10 });
    const dateFrom = dateFlag(values, 'from-date');
    const dateTo = dateFlag(values, 'to-date');
    dateRange(dateFrom, dateTo);
    const filters = {
      journal: stringFlag(values, 'journal'),
      dateFrom,
      dateTo,
      entityType: stringFlag(values, 'entity-type'),
      entity: stringFlag(values, 'entity'),
      section: stringFlag(values, 'section'),
    };
    const store = await openStore(config, { readOnly: true });
    try {
      await store.init();
      const result = await store.search({
        text,
        target: values.sentences ? 'sentences' : 'articles',
        limit,
        filters,
      });
      if (values.json) {
        io.out(JSON.stringify(result, null, 2));
      } else {
        result.hits.forEach((hit, i) => {
          const ids = [hit.pmid ? `PMID ${hit.pmid}` : undefined, hit.pmcid].filter(Boolean).join(', ') || hit.documentId;
          io.out(`${i + 1}. ${hit.title} [${ids}]${hit.journal ? ` — ${hit.journal}` : ''}${hit.published ? `, ${hit.published}` : ''}`);
          if (hit.sentence) io.out(`   ${hit.sentence.text}`);
          for (const h of hit.highlights.slice(0, 2)) io.out(`   … ${h} …`);
        });
      }
      io.err(`search: ${result.total} match${result.total === 1 ? '' : 'es'} for "${text}", showing ${result.hits.length}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
