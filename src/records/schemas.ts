/**
 * JSON Schemas (draft-07) of every record on litmine's topics — what knowledge-graph teams validate
 * against. `litmine schemas` prints them; validateRecord() checks a record before it is produced.
 *
 *   validateRecord(article);  // throws LITMINE_RECORD_INVALID naming the record and each problem path
 */
import { Ajv, type SchemaObject, type ValidateFunction } from 'ajv';
import { LitmineError } from '../errors.js';
import { SCHEMA_VERSION } from './types.js';

const str = { type: 'string' } as const;
const strArray = { type: 'array', items: str } as const;
const offset = { type: 'integer', minimum: 0 } as const;
const score = { type: 'number', minimum: 0, maximum: 1 } as const;
const version = { type: 'integer', minimum: 1 } as const;
const header = (name: string) => ({
  schema: { const: name },
  schemaVersion: { const: SCHEMA_VERSION },
});
const origin = {
  type: 'object',
  required: ['file', 'index'],
  properties: { file: str, index: offset },
  additionalProperties: false,
} as const;
const modelRef = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: str, version: str },
  additionalProperties: false,
} as const;

export const articleSchema: SchemaObject = {
  $id: 'https://litmine.dev/schemas/article-2.json',
  title: 'litmine Article',
  type: 'object',
  required: [
    'schema',
    'schemaVersion',
    'id',
    'version',
    'source',
    'title',
    'passages',
    'authors',
    'languages',
    'publicationTypes',
    'mesh',
    'chemicals',
    'keywords',
    'dates',
    'fullText',
  ],
  additionalProperties: false,
  properties: {
    ...header('litmine.article'),
    // PMID when known, else PMCID, else (publisher JATS without either) the DOI.
    id: { type: 'string', pattern: '^(pmid:\\d+|pmc:PMC\\d+|doi:10\\.\\S+)$' },
    version,
    source: { enum: ['pubmed', 'pmc'] },
    pmid: { type: 'string', pattern: '^\\d+$' },
    // PMC article versions appear as "PMC6883395.2".
    pmcid: { type: 'string', pattern: '^PMC\\d+(\\.\\d+)?$' },
    doi: str,
    otherIds: { type: 'object', additionalProperties: str },
    title: str,
    passages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'text'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          kind: { enum: ['title', 'abstract', 'body', 'caption', 'other'] },
          section: str,
          nlmCategory: str,
          text: str,
        },
      },
    },
    journal: {
      type: 'object',
      additionalProperties: false,
      properties: { title: str, isoAbbreviation: str, issn: str, volume: str, issue: str },
    },
    authors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['affiliations'],
        additionalProperties: false,
        properties: { lastName: str, foreName: str, initials: str, collectiveName: str, orcid: str, affiliations: strArray },
      },
    },
    languages: strArray,
    publicationTypes: strArray,
    mesh: {
      type: 'array',
      items: {
        type: 'object',
        required: ['descriptorUi', 'name', 'majorTopic', 'qualifiers'],
        additionalProperties: false,
        properties: {
          descriptorUi: str,
          name: str,
          majorTopic: { type: 'boolean' },
          qualifiers: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ui', 'name', 'majorTopic'],
              additionalProperties: false,
              properties: { ui: str, name: str, majorTopic: { type: 'boolean' } },
            },
          },
        },
      },
    },
    chemicals: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ui', 'name', 'registryNumber'],
        additionalProperties: false,
        properties: { ui: str, name: str, registryNumber: str },
      },
    },
    keywords: strArray,
    dates: {
      type: 'object',
      additionalProperties: false,
      properties: {
        published: { type: 'string', pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' },
        medlineDate: str,
        electronic: str,
        history: { type: 'object', additionalProperties: str },
        revised: str,
      },
    },
    license: str,
    fullText: { type: 'boolean' },
    origin,
  },
};

export const articleDeleteSchema: SchemaObject = {
  $id: 'https://litmine.dev/schemas/article-delete-2.json',
  title: 'litmine ArticleDelete',
  type: 'object',
  required: ['schema', 'schemaVersion', 'id'],
  additionalProperties: false,
  properties: { ...header('litmine.article-delete'), id: str, pmid: str, version, origin },
};

const sentence = {
  type: 'object',
  required: ['id', 'passageId', 'start', 'end', 'text'],
  additionalProperties: false,
  properties: { id: str, passageId: str, start: offset, end: offset, text: str },
} as const;

const entityId = {
  type: 'object',
  required: ['id', 'name', 'score'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]*:\\S+$' }, name: str, score },
} as const;

const mention = {
  type: 'object',
  required: ['id', 'sentenceId', 'passageId', 'start', 'end', 'text', 'type', 'score', 'key'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^m-[0-9a-f]{16}$' },
    sentenceId: str,
    passageId: str,
    start: offset,
    end: offset,
    text: { type: 'string', minLength: 1 },
    type: str,
    score,
    key: str,
    ids: { type: 'array', items: entityId },
  },
} as const;

const relation = {
  type: 'object',
  required: ['id', 'type', 'subjectId', 'objectId', 'sentenceId', 'score'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^r-[0-9a-f]{16}$' },
    type: str,
    subjectId: str,
    objectId: str,
    sentenceId: str,
    score,
  },
} as const;

export const annotationSchema: SchemaObject = {
  $id: 'https://litmine.dev/schemas/annotation-2.json',
  title: 'litmine Annotation',
  type: 'object',
  required: [
    'schema',
    'schemaVersion',
    'id',
    'documentId',
    'documentVersion',
    'models',
    'modelVersion',
    'sentences',
    'mentions',
    'relations',
    'annotatedAt',
  ],
  additionalProperties: false,
  properties: {
    ...header('litmine.annotation'),
    id: str,
    documentId: str,
    documentVersion: version,
    models: {
      type: 'object',
      required: ['ner'],
      additionalProperties: false,
      properties: { ner: modelRef, re: modelRef, norm: modelRef },
    },
    modelVersion: str,
    sentences: { type: 'array', items: sentence },
    mentions: { type: 'array', items: mention },
    relations: { type: 'array', items: relation },
    annotatedAt: { type: 'string', format: 'date-time' },
  },
};

const entitySide = {
  type: 'object',
  required: ['key', 'type', 'text', 'mentionId'],
  additionalProperties: false,
  properties: { key: str, type: str, text: str, mentionId: str, id: str, name: str },
} as const;

export const entityRecordSchema: SchemaObject = {
  $id: 'https://litmine.dev/schemas/entity-2.json',
  title: 'litmine EntityRecord (entities topic)',
  type: 'object',
  required: [
    'schema',
    'schemaVersion',
    'key',
    'type',
    'text',
    'mentionId',
    'documentId',
    'documentVersion',
    'sentenceId',
    'start',
    'end',
    'score',
    'modelVersion',
  ],
  additionalProperties: false,
  properties: {
    ...header('litmine.entity'),
    key: str,
    type: str,
    text: str,
    id: str,
    name: str,
    mentionId: str,
    documentId: str,
    documentVersion: version,
    sentenceId: str,
    start: offset,
    end: offset,
    score,
    modelVersion: str,
  },
};

export const relationRecordSchema: SchemaObject = {
  $id: 'https://litmine.dev/schemas/relation-2.json',
  title: 'litmine RelationRecord (relations topic)',
  type: 'object',
  required: [
    'schema',
    'schemaVersion',
    'key',
    'relationId',
    'type',
    'subject',
    'object',
    'documentId',
    'documentVersion',
    'sentenceId',
    'evidence',
    'score',
    'modelVersion',
  ],
  additionalProperties: false,
  properties: {
    ...header('litmine.relation'),
    key: str,
    relationId: str,
    type: str,
    subject: entitySide,
    object: entitySide,
    documentId: str,
    documentVersion: version,
    sentenceId: str,
    evidence: str,
    score,
    modelVersion: str,
  },
};

export const deadLetterSchema: SchemaObject = {
  $id: 'https://litmine.dev/schemas/dead-letter-2.json',
  title: 'litmine DeadLetter',
  type: 'object',
  required: ['schema', 'schemaVersion', 'stage', 'code', 'message', 'source', 'key', 'valueBase64', 'failedAt'],
  additionalProperties: false,
  properties: {
    ...header('litmine.dead-letter'),
    stage: str,
    code: str,
    message: str,
    source: {
      type: 'object',
      additionalProperties: false,
      properties: { topic: str, partition: offset, offset: str, file: str, index: offset },
    },
    key: { type: ['string', 'null'] },
    valueBase64: { type: ['string', 'null'] },
    failedAt: str,
  },
};

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
