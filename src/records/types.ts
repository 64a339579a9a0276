/**
 * The record types that flow through litmine's topics — the contract with knowledge-graph teams.
 * Every record carries `schema` and `schemaVersion`; the JSON Schemas in ./schemas/ describe the same
 * shapes and are what consumers should validate against.
 *
 *   articles topic    key = document id     value = Article (null value = delete tombstone)
 *   annotations topic key = document id     value = Annotation
 *   entities topic    key = entity key      value = EntityRecord
 *   relations topic   key = relation key    value = RelationRecord
 *   dead letters      key = original key    value = DeadLetter
 */

/** 2: mentions carry `ids` and keys are `Type:ID` where normalized; entity and relation records carry ids and names. */
export const SCHEMA_VERSION = 2 as const;

/** Where a record came from; PubMed citations and PMC full texts of one PMID are one document. */
export type ArticleSource = 'pubmed' | 'pmc';

export type PassageKind = 'title' | 'abstract' | 'body' | 'caption' | 'other';

export interface Passage {
  /** Stable within the document: "title", "abstract.0", "body.3.1", "caption.fig1". */
  id: string;
  kind: PassageKind;
  /** Section path of a body paragraph ("Methods > Cell culture"), or the structured-abstract label. */
  section?: string;
  /** NLM category of a structured-abstract section (BACKGROUND, METHODS, ...). */
  nlmCategory?: string;
  text: string;
}

export interface Author {
  lastName?: string;
  foreName?: string;
  initials?: string;
  collectiveName?: string;
  orcid?: string;
  affiliations: string[];
}

export interface MeshHeading {
  descriptorUi: string;
  name: string;
  majorTopic: boolean;
  qualifiers: { ui: string; name: string; majorTopic: boolean }[];
}

export interface Chemical {
  ui: string;
  name: string;
  registryNumber: string;
}

export interface Journal {
  title?: string;
  isoAbbreviation?: string;
  issn?: string;
  volume?: string;
  issue?: string;
}

export interface ArticleDates {
  /** Publication date as given (year, month, day when known), ISO-like: "2019", "2019-03", "2019-03-14". */
  published?: string;
  /** The unparsed MedlineDate ("1998 Dec-1999 Jan") when PubDate has no Year. */
  medlineDate?: string;
  /** Electronic publication date (ArticleDate), ISO "YYYY-MM-DD". */
  electronic?: string;
  /** PubMed history dates by status (entrez, pubmed, medline, received, accepted, ...). */
  history?: Record<string, string>;
  /** Date the citation was last revised (DateRevised). */
  revised?: string;
}

export interface Article {
  schema: 'litmine.article';
  schemaVersion: typeof SCHEMA_VERSION;
  /** Document id: "pmid:<PMID>" when a PMID is known, else "pmc:<PMCID>", else "doi:<DOI>" (publisher JATS). */
  id: string;
  /** PubMed's PMID version (1 unless revised); PMC article version otherwise. */
  version: number;
  source: ArticleSource;
  pmid?: string;
  pmcid?: string;
  doi?: string;
  otherIds?: Record<string, string>;
  title: string;
  passages: Passage[];
  journal?: Journal;
  authors: Author[];
  languages: string[];
  publicationTypes: string[];
  mesh: MeshHeading[];
  chemicals: Chemical[];
  keywords: string[];
  dates: ArticleDates;
  /** Licence of a PMC full text (URL or text); absent for PubMed citations. */
  license?: string;
  /** True when the text includes a full body (PMC), false for title/abstract only. */
  fullText: boolean;
  /** File and record position the article was parsed from (for error reports and replays). */
  origin?: { file: string; index: number };
}

/** A delete of a document (PubMed DeleteCitation): on the articles topic it is a null-valued message. */
export interface ArticleDelete {
  schema: 'litmine.article-delete';
  schemaVersion: typeof SCHEMA_VERSION;
  id: string;
  pmid?: string;
  version?: number;
  origin?: { file: string; index: number };
}

export type EntityType = string; // Disease, Chemical, Gene, Species, CellLine, CellType (model-defined)

export interface Sentence {
  /** `${annotationId}/s/${passageId}/${start}` — deterministic. */
  id: string;
  passageId: string;
  /** [start, end) in UTF-16 code units of the passage text. */
  start: number;
  end: number;
  text: string;
}

export interface Mention {
  /** Derived from document, version, passage, offsets, type and model version. */
  id: string;
  sentenceId: string;
  passageId: string;
  /** [start, end) in UTF-16 code units of the passage text. */
  start: number;
  end: number;
  text: string;
  type: EntityType;
  score: number;
  /**
   * What a knowledge graph merges on: "<type>:<id>" for a normalized mention ("Chemical:MESH:D002945"),
   * else "<type>:<lowercased text>".
   */
  key: string;
  /** Vocabulary identifiers, best first, with the matched concept's preferred name; absent when none. */
  ids?: EntityId[];
}

/** A normalized identifier: MESH:D002945, NCBIGene:7157, NCBITaxon:9606, OMIM:219700. */
export interface EntityId {
  id: string;
  /** The concept's preferred name ("Cisplatin"). */
  name: string;
  /** The ranker's score in [0, 1] (for a corpus-lexicon match, the share of its votes). */
  score: number;
}

export interface Relation {
  id: string;
  /** Relation label from the model ("CPR:4", "association", "CID"). */
  type: string;
  subjectId: string;
  objectId: string;
  sentenceId: string;
  score: number;
}

export interface ModelRef {
  name: string;
  version: string;
}

export interface Annotation {
  schema: 'litmine.annotation';
  schemaVersion: typeof SCHEMA_VERSION;
  /** `${documentId}@${documentVersion}` */
  id: string;
  documentId: string;
  documentVersion: number;
  /** `norm`: the normalization dictionary (name "dictionary", version = hash of its sources) when one was used. */
  models: { ner: ModelRef; re?: ModelRef; norm?: ModelRef };
  /** Hash of the model refs: part of every mention and relation id. */
  modelVersion: string;
  sentences: Sentence[];
  mentions: Mention[];
  relations: Relation[];
  annotatedAt: string;
}

/** One mention, keyed for knowledge graphs: all mentions of "Disease:breast cancer" share a key. */
export interface EntityRecord {
  schema: 'litmine.entity';
  schemaVersion: typeof SCHEMA_VERSION;
  key: string;
  type: EntityType;
  /** The surface form of this mention. */
  text: string;
  /** The best identifier and its preferred name, when normalized. */
  id?: string;
  name?: string;
  mentionId: string;
  documentId: string;
  documentVersion: number;
  sentenceId: string;
  start: number;
  end: number;
  score: number;
  modelVersion: string;
}

export interface RelationSide {
  key: string;
  type: EntityType;
  text: string;
  mentionId: string;
  /** The side's best identifier and preferred name, when normalized. */
  id?: string;
  name?: string;
}

/** One relation with its evidence sentence, keyed by (subject key, type, object key). */
export interface RelationRecord {
  schema: 'litmine.relation';
  schemaVersion: typeof SCHEMA_VERSION;
  key: string;
  relationId: string;
  type: string;
  subject: RelationSide;
  object: RelationSide;
  documentId: string;
  documentVersion: number;
  sentenceId: string;
  evidence: string;
  score: number;
  modelVersion: string;
}

/** A record that could not be processed, with its original bytes, kept for inspection and replay. */
export interface DeadLetter {
  schema: 'litmine.dead-letter';
  schemaVersion: typeof SCHEMA_VERSION;
  stage: string;
  code: string;
  message: string;
  /** Where the record was read from. */
  source: { topic?: string; partition?: number; offset?: string; file?: string; index?: number };
  key: string | null;
  /** Original value, base64-encoded (null for a tombstone). */
  valueBase64: string | null;
  failedAt: string;
}
