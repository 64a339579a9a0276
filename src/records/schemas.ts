/**
 * JSON Schemas (draft-07) of every record on litmine's topics — what knowledge-graph teams validate
 * against — defined with TypeBox, so the record types (./types.ts) are derived from them (`Static`)
 * and the two cannot drift. `litmine schemas` prints them; validateRecord() checks a record before
 * it is produced.
 *
 *   validateRecord(article);  // throws LITMINE_RECORD_INVALID naming the record and each problem path
 */
import { Ajv, type SchemaObject, type ValidateFunction } from 'ajv';
import { type Static, type TObject, type TProperties, Type } from 'typebox';
import { LitmineError } from '../errors.js';
import { SCHEMA_VERSION } from './types.js';

// Plain keywords where TypeBox would spell them otherwise, so the printed schemas stay as consumers
// know them: `const` without a `type`, `additionalProperties` maps, `type: [string, null]`.
const constant = <const T extends string | number>(value: T) => Type.Unsafe<T>({ const: value });
const stringMap = () => Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: Type.String() });
const nullableString = () => Type.Unsafe<string | null>({ type: ['string', 'null'] });

const str = Type.String();
const strArray = Type.Array(str);
const offset = Type.Integer({ minimum: 0 });
const score = Type.Number({ minimum: 0, maximum: 1 });
const version = Type.Integer({ minimum: 1 });
const closed = { additionalProperties: false } as const;
const header = <const N extends string>(name: N) => ({
  schema: constant(name),
  schemaVersion: constant(SCHEMA_VERSION),
});

/** A topic record: a closed object with its `$id` and `title` first, as consumers read them. */
function recordSchema<P extends TProperties>($id: string, title: string, properties: P) {
  return Type.Unsafe<Static<TObject<P>>>({ $id, title, ...Type.Object(properties, closed) });
}

/** File and record position a record was parsed from (for error reports and replays). */
const origin = Type.Object({ file: str, index: offset }, closed);
const modelRef = Type.Object({ name: str, version: str }, closed);

/** Where a record came from; PubMed citations and PMC full texts of one PMID are one document. */
const articleSource = Type.Enum(['pubmed', 'pmc']);
const passageKind = Type.Enum(['title', 'abstract', 'body', 'caption', 'other']);

const passage = Type.Object(
  {
    /** Stable within the document: "title", "abstract.0", "body.3.1", "caption.fig1". */
    id: Type.String({ minLength: 1 }),
    kind: passageKind,
    /** Section path of a body paragraph ("Methods > Cell culture"), or the structured-abstract label. */
    section: Type.Optional(str),
    /** NLM category of a structured-abstract section (BACKGROUND, METHODS, ...). */
    nlmCategory: Type.Optional(str),
    text: str,
  },
  closed,
);

const journal = Type.Object(
  {
    title: Type.Optional(str),
    isoAbbreviation: Type.Optional(str),
    issn: Type.Optional(str),
    volume: Type.Optional(str),
    issue: Type.Optional(str),
  },
  closed,
);

const author = Type.Object(
  {
    lastName: Type.Optional(str),
    foreName: Type.Optional(str),
    initials: Type.Optional(str),
    collectiveName: Type.Optional(str),
    orcid: Type.Optional(str),
    affiliations: strArray,
  },
  closed,
);

const meshHeading = Type.Object(
  {
    descriptorUi: str,
    name: str,
    majorTopic: Type.Boolean(),
    qualifiers: Type.Array(Type.Object({ ui: str, name: str, majorTopic: Type.Boolean() }, closed)),
  },
  closed,
);

const chemical = Type.Object({ ui: str, name: str, registryNumber: str }, closed);

const articleDates = Type.Object(
  {
    /** Publication date as given (year, month, day when known), ISO-like: "2019", "2019-03", "2019-03-14". */
    published: Type.Optional(Type.String({ pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' })),
    /** The unparsed MedlineDate ("1998 Dec-1999 Jan") when PubDate has no Year. */
    medlineDate: Type.Optional(str),
    /** Electronic publication date (ArticleDate), ISO "YYYY-MM-DD". */
    electronic: Type.Optional(str),
    /** PubMed history dates by status (entrez, pubmed, medline, received, accepted, ...). */
    history: Type.Optional(stringMap()),
    /** Date the citation was last revised (DateRevised). */
    revised: Type.Optional(str),
  },
  closed,
);

export const articleSchema = recordSchema('https://litmine.dev/schemas/article-2.json', 'litmine Article', {
  ...header('litmine.article'),
  /** Document id: "pmid:<PMID>" when a PMID is known, else "pmc:<PMCID>", else "doi:<DOI>" (publisher JATS). */
  id: Type.String({ pattern: '^(pmid:\\d+|pmc:PMC\\d+|doi:10\\.\\S+)$' }),
  /** PubMed's PMID version (1 unless revised); PMC article version otherwise. */
  version,
  source: articleSource,
  pmid: Type.Optional(Type.String({ pattern: '^\\d+$' })),
  /** PMC article versions appear as "PMC6883395.2". */
  pmcid: Type.Optional(Type.String({ pattern: '^PMC\\d+(\\.\\d+)?$' })),
  doi: Type.Optional(str),
  otherIds: Type.Optional(stringMap()),
  title: str,
  passages: Type.Array(passage),
  journal: Type.Optional(journal),
  authors: Type.Array(author),
  languages: strArray,
  publicationTypes: strArray,
  mesh: Type.Array(meshHeading),
  chemicals: Type.Array(chemical),
  keywords: strArray,
  dates: articleDates,
  /** Licence of a PMC full text (URL or text); absent for PubMed citations. */
  license: Type.Optional(str),
  /** True when the text includes a full body (PMC), false for title/abstract only. */
  fullText: Type.Boolean(),
  origin: Type.Optional(origin),
});

/** A delete of a document (PubMed DeleteCitation): on the articles topic it is a null-valued message. */
export const articleDeleteSchema = recordSchema('https://litmine.dev/schemas/article-delete-2.json', 'litmine ArticleDelete', {
  ...header('litmine.article-delete'),
  id: str,
  pmid: Type.Optional(str),
  version: Type.Optional(version),
  origin: Type.Optional(origin),
});

const sentence = Type.Object(
  {
    /** `${annotationId}/s/${passageId}/${start}` — deterministic. */
    id: str,
    passageId: str,
    /** [start, end) in UTF-16 code units of the passage text. */
    start: offset,
    end: offset,
    text: str,
  },
  closed,
);

/** A normalized identifier: MESH:D002945, NCBIGene:7157, NCBITaxon:9606, OMIM:219700. */
const entityId = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]*:\\S+$' }),
    /** The concept's preferred name ("Cisplatin"). */
    name: str,
    /** The ranker's score in [0, 1] (for a corpus-lexicon match, the share of its votes). */
    score,
  },
  closed,
);

const mention = Type.Object(
  {
    /** Derived from document, version, passage, offsets, type and model version. */
    id: Type.String({ pattern: '^m-[0-9a-f]{16}$' }),
    sentenceId: str,
    passageId: str,
    /** [start, end) in UTF-16 code units of the passage text. */
    start: offset,
    end: offset,
    text: Type.String({ minLength: 1 }),
    /** Disease, Chemical, Gene, Species, CellLine, CellType (model-defined). */
    type: str,
    score,
    /**
     * What a knowledge graph merges on: "<type>:<id>" for a normalized mention ("Chemical:MESH:D002945"),
     * else "<type>:<lowercased text>".
     */
    key: str,
    /** Vocabulary identifiers, best first, with the matched concept's preferred name; absent when none. */
    ids: Type.Optional(Type.Array(entityId)),
  },
  closed,
);

const relation = Type.Object(
  {
    id: Type.String({ pattern: '^r-[0-9a-f]{16}$' }),
    /** Relation label from the model ("CPR:4", "association", "CID"). */
    type: str,
    subjectId: str,
    objectId: str,
    sentenceId: str,
    score,
  },
  closed,
);

export const annotationSchema = recordSchema('https://litmine.dev/schemas/annotation-2.json', 'litmine Annotation', {
  ...header('litmine.annotation'),
  /** `${documentId}@${documentVersion}` */
  id: str,
  documentId: str,
  documentVersion: version,
  /** `norm`: the normalization dictionary (name "dictionary", version = hash of its sources) when one was used. */
  models: Type.Object({ ner: modelRef, re: Type.Optional(modelRef), norm: Type.Optional(modelRef) }, closed),
  /** Hash of the model refs: part of every mention and relation id. */
  modelVersion: str,
  sentences: Type.Array(sentence),
  mentions: Type.Array(mention),
  relations: Type.Array(relation),
  annotatedAt: Type.String({ format: 'date-time' }),
});

const relationSide = Type.Object(
  {
    key: str,
    type: str,
    text: str,
    mentionId: str,
    /** The side's best identifier and preferred name, when normalized. */
    id: Type.Optional(str),
    name: Type.Optional(str),
  },
  closed,
);

/** One mention, keyed for knowledge graphs: all mentions of "Disease:breast cancer" share a key. */
export const entityRecordSchema = recordSchema('https://litmine.dev/schemas/entity-2.json', 'litmine EntityRecord (entities topic)', {
  ...header('litmine.entity'),
  key: str,
  type: str,
  /** The surface form of this mention. */
  text: str,
  /** The best identifier and its preferred name, when normalized. */
  id: Type.Optional(str),
  name: Type.Optional(str),
  mentionId: str,
  documentId: str,
  documentVersion: version,
  sentenceId: str,
  start: offset,
  end: offset,
  score,
  modelVersion: str,
});

/** One relation with its evidence sentence, keyed by (subject key, type, object key). */
export const relationRecordSchema = recordSchema(
  'https://litmine.dev/schemas/relation-2.json',
  'litmine RelationRecord (relations topic)',
  {
    ...header('litmine.relation'),
    key: str,
    relationId: str,
    type: str,
    subject: relationSide,
    object: relationSide,
    documentId: str,
    documentVersion: version,
    sentenceId: str,
    evidence: str,
    score,
    modelVersion: str,
  },
);

/** A record that could not be processed, with its original bytes, kept for inspection and replay. */
export const deadLetterSchema = recordSchema('https://litmine.dev/schemas/dead-letter-2.json', 'litmine DeadLetter', {
  ...header('litmine.dead-letter'),
  stage: str,
  code: str,
  message: str,
  /** Where the record was read from. */
  source: Type.Object(
    {
      topic: Type.Optional(str),
      partition: Type.Optional(offset),
      offset: Type.Optional(str),
      file: Type.Optional(str),
      index: Type.Optional(offset),
    },
    closed,
  ),
  key: nullableString(),
  /** Original value, base64-encoded (null for a tombstone). */
  valueBase64: nullableString(),
  failedAt: str,
});

export type ArticleSource = Static<typeof articleSource>;
export type PassageKind = Static<typeof passageKind>;
export type Passage = Static<typeof passage>;
export type Author = Static<typeof author>;
export type MeshHeading = Static<typeof meshHeading>;
export type Chemical = Static<typeof chemical>;
export type Journal = Static<typeof journal>;
export type ArticleDates = Static<typeof articleDates>;
export type Article = Static<typeof articleSchema>;
export type ArticleDelete = Static<typeof articleDeleteSchema>;
export type Sentence = Static<typeof sentence>;
export type EntityId = Static<typeof entityId>;
export type Mention = Static<typeof mention>;
export type Relation = Static<typeof relation>;
export type ModelRef = Static<typeof modelRef>;
export type Annotation = Static<typeof annotationSchema>;
export type EntityRecord = Static<typeof entityRecordSchema>;
export type RelationSide = Static<typeof relationSide>;
export type RelationRecord = Static<typeof relationRecordSchema>;
export type DeadLetter = Static<typeof deadLetterSchema>;

export const RECORD_SCHEMAS: Record<string, SchemaObject> = {
  'litmine.article': articleSchema,
  'litmine.article-delete': articleDeleteSchema,
  'litmine.annotation': annotationSchema,
  'litmine.entity': entityRecordSchema,
  'litmine.relation': relationRecordSchema,
  'litmine.dead-letter': deadLetterSchema,
};

let validators: Map<string, ValidateFunction> | undefined;

function validatorFor(schemaName: string): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    validators = new Map(Object.entries(RECORD_SCHEMAS).map(([name, schema]) => [name, ajv.compile(schema)]));
  }
  const v = validators.get(schemaName);
  if (!v) throw new LitmineError('LITMINE_RECORD_INVALID', `unknown record schema "${schemaName}"`);
  return v;
}

/** Problems of a record against its schema (by its `schema` field); empty when valid. */
export function recordProblems(record: unknown): string[] {
  const name = (record as { schema?: unknown } | null)?.schema;
  if (typeof name !== 'string') return ['/schema: missing'];
  const validate = validatorFor(name);
  if (validate(record)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

export function validateRecord(record: unknown): void {
  const problems = recordProblems(record);
  if (problems.length > 0) {
    const id = (record as { id?: unknown; key?: unknown })?.id ?? (record as { key?: unknown })?.key ?? '?';
    throw new LitmineError('LITMINE_RECORD_INVALID', `record ${String(id)} is invalid: ${problems.slice(0, 5).join('; ')}`);
  }
}
