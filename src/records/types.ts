/**
 * The record types that flow through litmine's topics — the contract with knowledge-graph teams.
 * Every record carries `schema` and `schemaVersion`. The types are derived from the JSON Schemas in
 * ./schemas.ts (TypeBox `Static`), which are what consumers validate against; edit the schemas there.
 *
 *   articles topic    key = document id     value = Article (null value = delete tombstone)
 *   annotations topic key = document id     value = Annotation
 *   entities topic    key = entity key      value = EntityRecord
 *   relations topic   key = relation key    value = RelationRecord
 *   dead letters      key = original key    value = DeadLetter
 */

/** 2: mentions carry `ids` and keys are `Type:ID` where normalized; entity and relation records carry ids and names. */
export const SCHEMA_VERSION = 2 as const;

export type {
  Annotation,
  Article,
  ArticleDates,
  ArticleDelete,
  ArticleSource,
  Author,
  Chemical,
  DeadLetter,
  EntityId,
  EntityRecord,
  Journal,
  MeshHeading,
  Mention,
  ModelRef,
  Passage,
  PassageKind,
  Relation,
  RelationRecord,
  RelationSide,
  Sentence,
} from './schemas.js';

/** Disease, Chemical, Gene, Species, CellLine, CellType (model-defined). */
export type EntityType = string;
