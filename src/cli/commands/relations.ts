/**
 * `litmine relations <entity>`: the relations an entity takes part in, grouped by partner and type,
 * with counts and evidence sentences. The entity is an identifier ("MESH:D002945"), a name or synonym
 * (resolved through the normalization dictionary to its key "Chemical:MESH:D002945"), a key, or text.
 *
 *   litmine relations cisplatin --type CID --json
 */
import type { Command } from '../command.js';
import { limitRule, queryText, TEXT } from '../flag-values.js';
import { openNormalizer } from '../open-normalizer.js';
import { openStore } from '../open-services.js';
import { resolveEntity } from '../resolve-entity.js';
import type { EntityRef } from '../../store/store.js';

export const relationsCommand: Command = {
  name: 'relations',
  summary: 'relations of an entity (id "MESH:D002945", name, or key), with counts and evidence sentences',
  usage: 'litmine relations [--] <entity> [--entity-type T] [--type RELATION] [--limit N] [--evidence N] [--json]',
  options: {
    'entity-type': { type: 'string', value: TEXT },
    type: { type: 'string', value: TEXT },
    limit: { type: 'string', value: limitRule() },
    evidence: { type: 'string', value: { kind: 'integer', min: 0, max: 100 } },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, { config, io, installDir }) {
    const entity = queryText(positionals, 'entity');
    if (!entity) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const entityType = values['entity-type'] as string | undefined;
    const relationType = values.type as string | undefined;
    const limit = (values.limit as number | undefined) ?? 20;
    const evidencePerRelation = (values.evidence as number | undefined) ?? 2;
    // An id or a name goes through the dictionary to the normalized key, so both give one answer.
    const normalizer = openNormalizer(config, installDir);
    const resolved = resolveEntity(entity, normalizer, entityType);
    normalizer?.dict.close();
    const ref: EntityRef = resolved.ref;
    const store = await openStore(config, { readOnly: true });
    try {
      await store.init();
      const result = await store.relations({
        entity: ref,
        type: relationType,
        limit,
        evidencePerRelation,
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
      const as = ref.key && ref.key !== entity ? ` (${ref.key}${resolved.name ? `, ${resolved.name}` : ''})` : '';
      io.err(`relations: ${result.total} relation group(s) for "${entity}"${as}, showing ${result.relations.length}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
