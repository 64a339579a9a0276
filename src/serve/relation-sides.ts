/**
 * The entity syntax of `GET /api/relations?e1=&type=&e2=` and `entity=`, parsed into the store's
 * structured EntityRef (never spliced into a query string):
 *
 *   "Chemical:cisplatin"  an entity key (type, colon, normalised text or identifier)
 *   "@Chemical"           any entity of that type
 *   "cisplatin"           any entity with that mention text, whatever its type
 */
import { LitmineError } from '../errors.js';
import type { EntityRef } from '../store/store.js';

const TYPE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

export function parseEntitySide(value: string, param: string): EntityRef {
  const v = value.trim();
  if (v.startsWith('@')) {
    const type = v.slice(1);
    if (!TYPE.test(type))
      throw new LitmineError('LITMINE_HTTP_BAD_REQUEST', `${param}: "@" must be followed by an entity type such as @Chemical`);
    return { type };
  }
  const colon = v.indexOf(':');
  if (colon > 0 && TYPE.test(v.slice(0, colon)) && v.slice(colon + 1).trim()) return { key: v };
  if (!v) throw new LitmineError('LITMINE_HTTP_BAD_REQUEST', `${param} is empty`);
  return { text: v };
}
