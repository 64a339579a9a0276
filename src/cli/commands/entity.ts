/**
 * `litmine entity <id|name>`: one entity as litmine knows it — preferred name, synonyms, type and
 * identifier from the normalization dictionary; mention and document counts, the entities most often
 * mentioned in the same documents, and its relations with evidence, from the search store.
 *
 *   litmine entity MESH:D002945      litmine entity cisplatin --json
 */
import { LitmineError } from '../../errors.js';
import { entityKey } from '../../records/ids.js';
import type { EntitySummary } from '../../store/entity-reads.js';
import type { FacetBucket, SearchStore } from '../../store/store.js';
import { typeNames } from '../../vocab/vocab-concept.js';
import type { Command } from '../command.js';
import { limitRule, queryText, TEXT } from '../flag-values.js';
import { openNormalizer } from '../open-normalizer.js';
import { openStore } from '../open-services.js';
import { resolveEntity } from '../resolve-entity.js';

const CO_MENTION_TYPES = ['Disease', 'Chemical', 'Gene', 'Species', 'CellLine', 'CellType'];

export const entityCommand: Command = {
  name: 'entity',
  summary: 'an entity by id or name: preferred name, synonyms, counts, co-mentioned entities, relations with evidence',
  usage: 'litmine entity <id|name|key> [--entity-type T] [--limit N] [--json]',
  options: { 'entity-type': { type: 'string', value: TEXT }, limit: { type: 'string', value: limitRule() }, json: { type: 'boolean' } },
  async run({ values, positionals }, { config, io, installDir }) {
    const input = queryText(positionals, 'entity');
    if (!input) throw new LitmineError('LITMINE_USAGE', `usage: ${this.usage}`);
    const limit = (values.limit as number | undefined) ?? 5;
    const normalizer = openNormalizer(config, installDir, io.err);
    const resolved = resolveEntity(input, normalizer, values['entity-type'] as string | undefined);
    const key = resolved.ref.key;
    const id = key?.replace(/^[^:]+:/, '');
    const concept = id ? normalizer?.dict.conceptById(id) : undefined;
    normalizer?.dict.close();
    const store = await openStore(config, { readOnly: true });
    try {
      await store.init();
      // Exact counts from the store's entity read; a text reference is tried as each type's text key.
      const self = key ? await store.entity(key) : await textEntity(store, input, resolved.ref.type);
      const type = self?.type ?? key?.split(':')[0] ?? resolved.ref.type;
      const ref = self ? { key: self.key } : resolved.ref;
      let coMentioned: FacetBucket[];
      if (self) coMentioned = await store.coMentioned({ key: self.key, limit: limit * 2 });
      else {
        // No stored entity under a key: articles matching the text, by facets.
        coMentioned = [];
        for (const t of CO_MENTION_TYPES) coMentioned.push(...(await store.facets({ type: t, entity: ref, limit })));
        coMentioned.sort((a, b) => b.documents - a.documents || b.mentions - a.mentions);
      }
      const relations = await store.relations({ entity: ref, limit, evidencePerRelation: 1 });
      const result = {
        input,
        key: self?.key ?? key ?? null,
        id: concept?.id ?? (id && /^[A-Za-z]+:/.test(id) ? id : null),
        name: concept?.name ?? resolved.name ?? null,
        type: type ?? null,
        types: concept ? typeNames(concept.types) : type ? [type] : [],
        synonyms: concept?.synonyms ?? [],
        mentions: self?.mentions ?? 0,
        documents: self?.documents ?? 0,
        surface: self?.text ?? null,
        coMentioned: coMentioned.slice(0, limit * 2),
        relations: relations.relations,
      };
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        io.out(
          `${result.name ?? input}${result.id ? `  ${result.id}` : ''}  (${result.types.join(', ') || 'no type'})  key ${result.key ?? '—'}`,
        );
        if (result.synonyms.length > 0) io.out(`synonyms: ${result.synonyms.join('; ')}`);
        io.out(`${result.mentions} mention(s) in ${result.documents} document(s)`);
        if (result.coMentioned.length > 0) io.out('co-mentioned:');
        for (const b of result.coMentioned) io.out(`  ${b.text} (${b.type}, ${b.key}): ${b.documents} document(s)`);
        if (result.relations.length > 0) io.out('relations:');
        for (const g of result.relations) {
          io.out(`  ${g.subject.text} —${g.type}→ ${g.object.text}: ${g.count} sentence(s) in ${g.documents} document(s)`);
          for (const e of g.evidence) io.out(`     [${e.pmid ? `PMID ${e.pmid}` : e.documentId}] ${e.sentence}`);
        }
      }
      io.err(
        `entity: "${input}" → ${result.key ?? 'no stored entity (text match)'}; ${result.mentions} mentions, ${result.coMentioned.length} co-mentioned, ${result.relations.length} relation group(s)`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};

/** The stored entity with this text key (of the given type, or the type with most documents). */
async function textEntity(store: SearchStore, text: string, type: string | undefined): Promise<EntitySummary | null> {
  const found = await Promise.all((type ? [type] : CO_MENTION_TYPES).map((t) => store.entity(entityKey(t, text))));
  return found.reduce<EntitySummary | null>((best, e) => (e && (!best || e.documents > best.documents) ? e : best), null);
}
