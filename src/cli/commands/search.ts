/**
 * `litmine search <query>`: full-text search over articles (or sentences) with filters, printing
 * ranked hits with highlighted fragments, or JSON with --json.
 *
 *   litmine search "cisplatin nephrotoxicity" --entity-type Chemical --from-date 2015 --json
 */
import type { Command } from '../command.js';
import { DATE, dateRange, limitRule, queryText, TEXT } from '../flag-values.js';
import { openStore } from '../open-services.js';

export const searchCommand: Command = {
  name: 'search',
  summary: 'full-text search of the indexed articles or sentences, with highlights and filters',
  usage:
    'litmine search [--] <query> [--sentences] [--journal J] [--from-date D] [--to-date D] [--entity-type T] [--entity E] [--section S] [--limit N] [--json]',
  options: {
    sentences: { type: 'boolean' },
    journal: { type: 'string', value: TEXT },
    'from-date': { type: 'string', value: DATE },
    'to-date': { type: 'string', value: DATE },
    'entity-type': { type: 'string', value: TEXT },
    entity: { type: 'string', value: TEXT },
    section: { type: 'string', value: TEXT },
    limit: { type: 'string', value: limitRule() },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, { config, io }) {
    const text = queryText(positionals, 'query');
    if (!text) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    // The flags were checked before run (their rules above); the date range is checked here, before the store opens.
    const limit = (values.limit as number | undefined) ?? 10;
    const dateFrom = values['from-date'] as string | undefined;
    const dateTo = values['to-date'] as string | undefined;
    dateRange(dateFrom, dateTo);
    const filters = {
      journal: values.journal as string | undefined,
      dateFrom,
      dateTo,
      entityType: values['entity-type'] as string | undefined,
      entity: values.entity as string | undefined,
      section: values.section as string | undefined,
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
