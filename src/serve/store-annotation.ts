/**
 * An article's annotations as the store holds them (src/store/entity-reads.ts) turned into what the
 * export writers read (src/interchange/annotated-document.ts), for `GET /api/export`. The store keeps
 * a mention's key, not its identifier list: a normalized mention's key is "Type:ID", anything else
 * is "Type:text", so the identifier is the key's tail when it is not the mention's own text.
 *
 *   writeExport('pubtator', [{ article, annotation: storeAnnotation(await store.articleAnnotations(id)) }])
 */
import type { AnnotatedParts } from '../interchange/annotated-document.js';
import { entityKey } from '../records/ids.js';
import type { ArticleAnnotations } from '../store/entity-reads.js';

/** The identifier in a normalized mention's key, or undefined for a text key. */
export function keyIdentifier(key: string, type: string, text: string): string | undefined {
  if (!key.startsWith(`${type}:`) || key === entityKey(type, text)) return undefined;
  return key.slice(type.length + 1);
}

/** `preferredName` names an identifier's concept (from the dictionary); else the mention's text stands in. */
export function storeAnnotation(
  stored: ArticleAnnotations,
  preferredName?: (key: string) => string | undefined,
): AnnotatedParts | undefined {
  if (stored.mentions.length === 0 && stored.relations.length === 0) return undefined;
  return {
    mentions: stored.mentions.map((m) => {
      const id = keyIdentifier(m.key, m.type, m.text);
      return {
        id: m.id,
        passageId: m.passageId,
        start: m.start,
        end: m.end,
        text: m.text,
        type: m.type,
        score: m.score,
        ...(id ? { ids: [{ id, name: preferredName?.(m.key) ?? m.text }] } : {}),
      };
    }),
    relations: stored.relations.map((r) => ({
      type: r.type,
      score: r.score,
      subjectId: r.subject.mentionId,
      objectId: r.object.mentionId,
    })),
  };
}
