/**
 * `litmine facets <type>`: the top entities of a type, in articles mentioning an entity or matching
 * a text — "top chemicals in articles mentioning breast cancer".
 *
 *   litmine facets Chemical --entity "Disease:breast cancer" --json
 */
import type { Command } from '../command.js';
import { openStore } from '../open-services.js';

export const facetsCommand: Command = {
  name: 'facets',
  summary: 'top entities of a type, optionally within articles mentioning an entity or matching text',
  usage: 'litmine facets <type> [--entity KEY|TEXT] [--text QUERY] [--limit N] [--json]',
  options: { entity: { type: 'string' }, text: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, { config, io }) {
    const type = positionals[0];
    if (!type) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const entity = values.entity as string | undefined;
    const store = await openStore(config, { readOnly: true });
    try {
      await store.init();
      const buckets = await store.facets({
        type,
        entity: entity ? (/^[A-Za-z]+:./.test(entity) ? { key: entity } : { text: entity }) : undefined,
        text: values.text as string | undefined,
        limit: values.limit ? Number(values.limit) : 20,
      });
      if (values.json) io.out(JSON.stringify(buckets, null, 2));
      else for (const b of buckets) io.out(`${String(b.documents).padStart(6)} docs ${String(b.mentions).padStart(7)} mentions  ${b.text}`);
      io.err(`facets: ${buckets.length} ${type} entities`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
