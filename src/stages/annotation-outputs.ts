/**
 * Fans an Annotation out into the records knowledge graphs consume: one EntityRecord per mention
 * (its `key` the entity key, which the annotate topology partitions by) and one RelationRecord per
 * relation (`key` = subject key | type | object key), with its evidence sentence.
 * A normalized mention's key is "Type:ID" (Chemical:MESH:D002945), so "cisplatin" and "Cisplatin"
 * share a key and a partition; its records carry the id and the preferred name beside the surface text.
 *
 *   const { entities, relations } = annotationOutputs(annotation);
 */
import { relationKey } from '../records/ids.js';
import { SCHEMA_VERSION, type Annotation, type EntityRecord, type Mention, type RelationRecord } from '../records/types.js';

function idAndName(m: Mention): { id?: string; name?: string } {
  const best = m.ids?.[0];
  return best ? { id: best.id, name: best.name } : {};
}

export function annotationOutputs(annotation: Annotation): { entities: EntityRecord[]; relations: RelationRecord[] } {
  const mentions = new Map(annotation.mentions.map((m) => [m.id, m]));
  const sentences = new Map(annotation.sentences.map((s) => [s.id, s]));
  const entities = annotation.mentions.map(
    (m): EntityRecord => ({
      schema: 'litmine.entity',
      schemaVersion: SCHEMA_VERSION,
      key: m.key,
      type: m.type,
      text: m.text,
      ...idAndName(m),
      mentionId: m.id,
      documentId: annotation.documentId,
      documentVersion: annotation.documentVersion,
      sentenceId: m.sentenceId,
      start: m.start,
      end: m.end,
      score: m.score,
      modelVersion: annotation.modelVersion,
    }),
  );
  const relations: RelationRecord[] = [];
  for (const r of annotation.relations) {
    const s = mentions.get(r.subjectId);
    const o = mentions.get(r.objectId);
    if (!s || !o) continue;
    relations.push({
      schema: 'litmine.relation',
      schemaVersion: SCHEMA_VERSION,
      key: relationKey(s.key, r.type, o.key),
      relationId: r.id,
      type: r.type,
      subject: { key: s.key, type: s.type, text: s.text, mentionId: s.id, ...idAndName(s) },
      object: { key: o.key, type: o.type, text: o.text, mentionId: o.id, ...idAndName(o) },
      documentId: annotation.documentId,
      documentVersion: annotation.documentVersion,
      sentenceId: r.sentenceId,
      evidence: sentences.get(r.sentenceId)?.text ?? '',
      score: r.score,
      modelVersion: annotation.modelVersion,
    });
  }
  return { entities, relations };
}
