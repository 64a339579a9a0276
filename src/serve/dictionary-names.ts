/**
 * The normalization dictionary (src/vocab/dictionary.ts) as `litmine serve` reads it: preferred names
 * of normalized entity keys ("Chemical:MESH:D002945" → "Cisplatin"), and the store keys of concepts
 * with a name or synonym starting with what an analyst types ("cis-plat" → cis-Platinum → Cisplatin),
 * for autocomplete. Both sides of a prefix go through the dictionary's own lookup key (exactKey).
 *
 *   const names = new DictionaryNames(Dictionary.open(path));  names.preferredName('Chemical:MESH:D002945')
 */
import { exactKey } from '../norm/normalize-string.js';
import type { Dictionary } from '../vocab/dictionary.js';
import { NAME_KIND } from '../vocab/dictionary-schema.js';
import { TYPE, typeBit, typeNames } from '../vocab/vocab-concept.js';

export interface NameMatch {
  /** The store key of the concept for one of its types ("Chemical:MESH:D002945"). */
  key: string;
  type: string;
  /** The concept's preferred name. */
  name: string;
  /** The name or synonym that starts with the prefix. */
  matched: string;
}

const ALL_TYPES = Object.values(TYPE).reduce((a, b) => a | b, 0);

export class DictionaryNames {
  constructor(readonly dict: Dictionary) {}

  /** The preferred name of a "Type:ID" key whose concept has that type; undefined for text keys. */
  preferredName(key: string): string | undefined {
    const colon = key.indexOf(':');
    if (colon < 1) return undefined;
    const type = key.slice(0, colon);
    const concept = this.dict.conceptById(key.slice(colon + 1));
    return concept && (concept.types & typeBit(type)) !== 0 ? concept.name : undefined;
  }

  /** Up to `limit` concept keys whose names start with the prefix, best name match first (preferred names before synonyms). */
  matches(prefix: string, type: string | undefined, limit: number): NameMatch[] {
    const key = exactKey(prefix);
    if (key.length < 2) return [];
    const bits = type ? typeBit(type) : ALL_TYPES;
    if (bits === 0) return [];
    // Word-order-free keys are left out: a prefix of a sorted word bag means nothing.
    const hits = this.dict.keysNear(key, key.length, key.length + 200, bits).filter((h) => (h.kind & NAME_KIND.bag) === 0);
    hits.sort((a, b) => a.kind - b.kind || a.key.length - b.key.length || b.concept.prior - a.concept.prior);
    const out = new Map<string, NameMatch>();
    for (const h of hits) {
      const matched = [h.concept.name, ...h.concept.synonyms].find((n) => exactKey(n).startsWith(key)) ?? h.concept.name;
      for (const t of typeNames(h.concept.types & bits)) {
        const storeKey = `${t}:${h.concept.id}`;
        if (!out.has(storeKey)) out.set(storeKey, { key: storeKey, type: t, name: h.concept.name, matched });
      }
      if (out.size >= limit) break;
    }
    return [...out.values()].slice(0, limit);
  }
}
