/**
 * Turns what a user types for an entity into the store's entity reference: an identifier
 * ("MESH:D002945") or a name ("cisplatin", "Cisplatin") becomes the normalized key
 * "Chemical:MESH:D002945" through the dictionary, so both ask the same question; an explicit key
 * ("Chemical:cisplatin") or, without a dictionary, text stays as it was.
 *
 *   resolveEntity('cisplatin', normalizer)  // { key: 'Chemical:MESH:D002945', name: 'Cisplatin' }
 */
import type { Normalizer } from '../norm/normalizer.js';
import type { EntityRef } from '../store/store.js';
import { TYPE, typeNames } from '../vocab/vocab-concept.js';

const ID = /^(MESH|NCBIGene|NCBITaxon|OMIM|MONDO):\S+$/i;
const TYPED_KEY = /^(Disease|Chemical|Gene|Species|CellLine|CellType):./;

export interface ResolvedEntity {
  ref: EntityRef;
  /** The preferred name, when the dictionary knows the entity. */
  name?: string;
}

export function resolveEntity(input: string, normalizer: Normalizer | undefined, type?: string): ResolvedEntity {
  const text = input.trim();
  if (TYPED_KEY.test(text) && !type) return { ref: { key: text } };
  if (ID.test(text)) {
    const id = text.replace(/^[^:]+/, (p) => canonicalPrefix(p));
    const concept = normalizer?.dict.conceptById(id);
    const t = type ?? (concept ? typeNames(concept.types)[0] : undefined);
    return t ? { ref: { key: `${t}:${id}` }, name: concept?.name } : { ref: { text } };
  }
  if (normalizer) {
    const types = type ? [type] : (Object.keys(TYPE) as string[]);
    let best: { type: string; id: string; name: string; score: number } | undefined;
    for (const t of types) {
      const hit = normalizer.resolve(text, t)[0];
      if (hit && (!best || hit.score > best.score)) best = { type: t, ...hit };
    }
    if (best) return { ref: { key: `${best.type}:${best.id}` }, name: best.name };
  }
  return { ref: { text, type } };
}

function canonicalPrefix(p: string): string {
  const known = ['MESH', 'NCBIGene', 'NCBITaxon', 'OMIM', 'MONDO'];
  return known.find((k) => k.toLowerCase() === p.toLowerCase()) ?? p;
}
