/**
 * The configuration's shape and defaults, as a JSON Schema that ajv checks once at start.
 * Defaults make the embedded mode work with no file at all: `litmine run --from DIR`.
 */
import type { SchemaObject } from 'ajv';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  partitions: number;
}

export interface ElasticsearchConfig {
  node: string;
  apiKey?: string;
  username?: string;
  password?: string;
  caFile?: string;
  /** Server major version (7, 8, 9): selects the client's compatibility headers. */
  serverMajor: number;
  indexPrefix: string;
}

export interface LitmineConfig {
  dataDir: string;
  log: { kind: 'embedded' | 'kafka'; kafka: KafkaConfig };
  store: { kind: 'embedded' | 'elasticsearch'; elasticsearch: ElasticsearchConfig };
  topics: { articles: string; annotations: string; entities: string; relations: string; deadLetters: string };
  models: {
    /** Model folders; relative paths resolve against the litmine installation. */
    ner: string;
    re: string | null;
    executionProvider: 'cpu' | 'cuda';
    intraOpThreads: number;
    /**
     * Most sentences per model call. Sentences are bucketed by length and batches are also capped
     * at 4,096 padded tokens (run-batches.ts), so padding stays small. Results do not depend on it
     * with the committed models (static quantization scales); with dynamically quantized exports
     * they would (the activation scale is computed over the whole batch tensor).
     */
    batchSize: number;
    /**
     * Sessions per model run at once on separate batches, each with intraOpThreads threads. Default
     * 1 × 2 threads, for 2 cores; more cores: e.g. 4 cores, sessions 2 × intraOpThreads 2 (npm run
     * bench measures 1 × 2 against 2 × 1).
     */
    sessions?: number;
  };
  ncbi: {
    eutilsBaseUrl: string;
    pmcBaseUrl: string;
    updateFilesBaseUrl: string;
    apiKey?: string;
    tool: string;
    email?: string;
    /** PMIDs per efetch call (NCBI allows up to 10,000; 200 is polite). */
    efetchBatchSize: number;
    /** E-utilities date type for windows: entrez, publication or modification date. */
    datetype: 'edat' | 'pdat' | 'mdat';
  };
  schedule: { cron: string; timezone: string; sources: ('pubmed' | 'pmc' | 'updatefiles')[] };
}

// Typed loosely: ajv's JSONSchemaType cannot express a required nullable field.
export const configSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['dataDir', 'log', 'store', 'topics', 'models', 'ncbi', 'schedule'],
  properties: {
    dataDir: { type: 'string', minLength: 1 },
    log: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'kafka'],
      properties: {
        kind: { type: 'string', enum: ['embedded', 'kafka'] },
        kafka: {
          type: 'object',
          additionalProperties: false,
          required: ['brokers', 'clientId', 'ssl', 'partitions'],
          properties: {
            brokers: { type: 'array', items: { type: 'string', pattern: '^[^\\s:]+:\\d+$' }, minItems: 1 },
            clientId: { type: 'string', minLength: 1 },
            ssl: { type: 'boolean' },
            caFile: { type: 'string', nullable: true },
            certFile: { type: 'string', nullable: true },
            keyFile: { type: 'string', nullable: true },
            sasl: {
              type: 'object',
              nullable: true,
              additionalProperties: false,
              required: ['mechanism', 'username', 'password'],
              properties: {
                mechanism: { type: 'string', enum: ['plain', 'scram-sha-256', 'scram-sha-512'] },
                username: { type: 'string' },
                password: { type: 'string' },
              },
            },
            partitions: { type: 'integer', minimum: 1, maximum: 1024 },
          },
        },
      },
    },
    store: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'elasticsearch'],
      properties: {
        kind: { type: 'string', enum: ['embedded', 'elasticsearch'] },
        elasticsearch: {
          type: 'object',
          additionalProperties: false,
          required: ['node', 'serverMajor', 'indexPrefix'],
          properties: {
            node: { type: 'string', pattern: '^https?://' },
            apiKey: { type: 'string', nullable: true },
            username: { type: 'string', nullable: true },
            password: { type: 'string', nullable: true },
            caFile: { type: 'string', nullable: true },
            serverMajor: { type: 'integer', minimum: 7, maximum: 9 },
            indexPrefix: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
          },
        },
      },
    },
    topics: {
      type: 'object',
      additionalProperties: false,
      required: ['articles', 'annotations', 'entities', 'relations', 'deadLetters'],
      properties: {
        articles: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
        annotations: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
        entities: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
        relations: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
        deadLetters: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
      },
    },
    models: {
      type: 'object',
      additionalProperties: false,
      required: ['ner', 're', 'executionProvider', 'intraOpThreads', 'batchSize'],
      properties: {
        ner: { type: 'string', minLength: 1 },
        re: { type: 'string', nullable: true, minLength: 1 },
        executionProvider: { type: 'string', enum: ['cpu', 'cuda'] },
        intraOpThreads: { type: 'integer', minimum: 0, maximum: 256 },
        batchSize: { type: 'integer', minimum: 1, maximum: 4096 },
        sessions: { type: 'integer', minimum: 1, maximum: 64 },
      },
    },
    ncbi: {
      type: 'object',
      additionalProperties: false,
      required: ['eutilsBaseUrl', 'pmcBaseUrl', 'updateFilesBaseUrl', 'tool', 'efetchBatchSize', 'datetype'],
      properties: {
        eutilsBaseUrl: { type: 'string', pattern: '^https?://' },
        pmcBaseUrl: { type: 'string', pattern: '^https?://' },
        updateFilesBaseUrl: { type: 'string', pattern: '^https?://' },
        apiKey: { type: 'string', nullable: true, minLength: 1 },
        tool: { type: 'string', minLength: 1 },
        email: { type: 'string', nullable: true, pattern: '^[^@\\s]+@[^@\\s]+$' },
        efetchBatchSize: { type: 'integer', minimum: 1, maximum: 10000 },
        datetype: { type: 'string', enum: ['edat', 'pdat', 'mdat'] },
      },
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      required: ['cron', 'timezone', 'sources'],
      properties: {
        cron: { type: 'string', minLength: 9 },
        timezone: { type: 'string', minLength: 1 },
        sources: { type: 'array', items: { type: 'string', enum: ['pubmed', 'pmc', 'updatefiles'] }, minItems: 1 },
      },
    },
  },
};

export const defaultConfig: LitmineConfig = {
  dataDir: './data',
  log: {
    kind: 'embedded',
    kafka: { brokers: ['127.0.0.1:9092'], clientId: 'litmine', ssl: false, partitions: 3 },
  },
  store: {
    kind: 'embedded',
    elasticsearch: { node: 'http://127.0.0.1:9200', serverMajor: 9, indexPrefix: 'litmine' },
  },
  topics: {
    articles: 'litmine.articles',
    annotations: 'litmine.annotations',
    entities: 'litmine.entities',
    relations: 'litmine.relations',
    deadLetters: 'litmine.dead-letters',
  },
  models: { ner: 'models/ner', re: 'models/re', executionProvider: 'cpu', intraOpThreads: 2, batchSize: 64, sessions: 1 },
  ncbi: {
    eutilsBaseUrl: 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils',
    pmcBaseUrl: 'https://pmc-oa-opendata.s3.amazonaws.com',
    updateFilesBaseUrl: 'https://ftp.ncbi.nlm.nih.gov/pubmed/updatefiles',
    tool: 'litmine',
    efetchBatchSize: 200,
    datetype: 'edat',
  },
  schedule: { cron: '30 6 * * *', timezone: 'UTC', sources: ['pubmed', 'pmc'] },
};
