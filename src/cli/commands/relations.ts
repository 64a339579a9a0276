/**
 * `litmine relations <entity>`: the relations an entity takes part in, grouped by partner and type,
 * with counts and evidence sentences. The entity is a key ("Chemical:cisplatin") or text.
 *
 *   litmine relations cisplatin --type CID --json
 */
import type { Command } from '../command.js';
import { openStore } from '../open-services.js';
import type { EntityRef } from '../../store/store.js';

export const relationsCommand: Command = {
  name: 'relations',
  summary: 'relations of an entity (key "Type:text" or text), with counts and evidence sentences',
  usage: 'litmine relations <entity> [--entity-type T] [--type RELATION] [--limit N] [--evidence N] [--json]',
  options: {
    'entity-type': { type: 'string' },
    type: { type: 'string' },
    limit: { type: 'string' },
    evidence: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, { config, io }) {
    const entity = positionals.join(' ').trim();
    if (!entity) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const ref: EntityRef =
      /^[A-Za-z]+:./.test(entity) && !values['entity-type']
        ? { key: entity }
        : { text: entity, type: values['entity-type'] as string | undefined };
    const store = await openStore(config, { readOnly: true });
    try {
      await store.init();
      const result = await store.relations({
        entity: ref,
        type: values.type as string | undefined,
        limit: values.limit ? Number(values.limit) : 20,
        evidencePerRelation: values.evidence ? Number(values.evidence) : 2,
      });
      if (values.json) {
        io.out(JSON.stringify(result, null, 2));
      } else {
        for (const g of result.relations) {
          io.out(
            `${g.subject.text} (${g.subject.type}) —${g.type}→ ${g.object.text} (${g.object.type}): ${g.count} sentence(s) in ${g.documents} document(s), max score ${g.maxScore.toFixed(2)}`,
          );
          for (const e of g.evidence) io.out(`   [${e.pmid ? `PMID ${e.pmid}` : e.documentId}] ${e.sentence}`);
        }
      }
      io.err(`relations: ${result.total} relation group(s) for "${entity}", showing ${result.relations.length}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
