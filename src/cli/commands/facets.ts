/**
 * `litmine facets <type>`: the top entities of a type, in articles mentioning an entity or matching
 * a text — "top chemicals in articles mentioning breast cancer".
 *
 *   litmine facets Chemical --entity "Disease:breast cancer" --json
 *   litmine facets Disease --entity MESH:D002945   (ids and names resolve through the dictionary)
 */
import { LitmineError } from '../../errors.js';
import type { Command } from '../command.js';
import { limitRule, queryText, TEXT } from '../flag-values.js';
import { openNormalizer } from '../open-normalizer.js';
import { openStore } from '../open-services.js';
import { resolveEntity } from '../resolve-entity.js';

export const facetsCommand: Command = {
  name: 'facets',
  summary: 'top entities of a type, optionally within articles mentioning an entity or matching text',
  usage: 'litmine facets <type> [--entity KEY|TEXT] [--text QUERY] [--limit N] [--json]',
  options: {
    entity: { type: 'string', value: TEXT },
    text: { type: 'string', value: TEXT },
    limit: { type: 'string', value: limitRule() },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, { config, io, installDir }) {
    if (positionals.length > 1)
      throw new LitmineError('LITMINE_USAGE', `one entity type, got ${positionals.length} words: ${positionals.join(' ')}`);
    const type = queryText(positionals, 'entity type');
    if (!type) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const entity = values.entity as string | undefined;
    const text = values.text as string | undefined;
    const limit = (values.limit as number | undefined) ?? 20;
    // Ids and names go through the dictionary (as in `litmine relations`); buckets keyed by an id get its preferred name.
    const normalizer = openNormalizer(config, installDir);
    const ref = entity ? resolveEntity(entity, normalizer).ref : undefined;
    const store = await openStore(config, { readOnly: true });
    try {
      await store.init();
      const buckets = await store.facets({
        type,
        entity: ref,
        text,
        limit,
      });
      const named = buckets.map((b) => {
        const name = normalizer?.dict.conceptById(b.key.slice(b.key.indexOf(':') + 1))?.name;
        return name ? { ...b, name } : b;
      });
      if (values.json) io.out(JSON.stringify(named, null, 2));
      else
        for (const b of named)
          io.out(
            `${String(b.documents).padStart(6)} docs ${String(b.mentions).padStart(7)} mentions  ${'name' in b ? `${b.name} (${b.key}; "${b.text}")` : b.text}`,
          );
      io.err(`facets: ${buckets.length} ${type} entities`);
      return 0;
    } finally {
      normalizer?.dict.close();
      await store.close();
    }
  },
};
