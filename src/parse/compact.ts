/**
 * Drops undefined properties so records serialise and compare cleanly (a JSON Schema with
 * additionalProperties sees only what is there).
 *
 *   compact({ a: 1, b: undefined }) → { a: 1 }
 */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) if (value !== undefined) out[key] = value;
  return out as T;
}
