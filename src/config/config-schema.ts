/**
 * The configuration's shape and defaults, as a JSON Schema that ajv checks once at start; the
 * TypeScript types are derived from the schema (TypeBox), so the two cannot drift. Defaults make
 * the embedded mode work with no file at all: `litmine run --from DIR`.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { CORS_ORIGIN_PATTERN } from './cors-origin.js';

/** A string enum with ajv's one-line message ("must be equal to one of the allowed values"). */
function oneOf<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

/** ajv's `nullable` keyword: the value may also be null (a plain type in the schema, not an anyOf). */
function nullable<S extends TSchema>(schema: S) {
  return Type.Unsafe<Static<S> | null>({ ...schema, nullable: true });
}

/** An optional field ajv also accepts as null; typed as plain optional, as the loader never writes null there. */
function optionalString(options: { minLength?: number; pattern?: string } = {}) {
  return Type.Optional(Type.Unsafe<string>({ type: 'string', nullable: true, ...options }));
}

const closed = { additionalProperties: false } as const;
const topicName = () => Type.String({ pattern: '^[A-Za-z0-9._-]+$' });
const httpUrl = () => Type.String({ pattern: '^https?://' });

const kafkaSchema = Type.Object(
  {
    brokers: Type.Array(Type.String({ pattern: '^[^\\s:]+:\\d+$' }), { minItems: 1 }),
    clientId: Type.String({ minLength: 1 }),
    ssl: Type.Boolean(),
    caFile: optionalString(),
    certFile: optionalString(),
    keyFile: optionalString(),
    sasl: Type.Optional(
      Type.Unsafe<{ mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }>({
        ...Type.Object(
          { mechanism: oneOf(['plain', 'scram-sha-256', 'scram-sha-512']), username: Type.String(), password: Type.String() },
          closed,
        ),
        nullable: true,
      }),
    ),
    partitions: Type.Integer({ minimum: 1, maximum: 1024 }),
  },
  closed,
);

const elasticsearchSchema = Type.Object(
  {
    node: httpUrl(),
    apiKey: optionalString(),
    username: optionalString(),
    password: optionalString(),
    caFile: optionalString(),
    /** Server major version (7, 8, 9): selects the client's compatibility headers. */
    serverMajor: Type.Integer({ minimum: 7, maximum: 9 }),
    indexPrefix: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' }),
  },
  closed,
);

/** Where `litmine vocab fetch` downloads the official vocabularies (into dataDir/vocab/downloads). */
const vocabDownloadSchema = Type.Object(
  {
    url: httpUrl(),
    /** A file holding the published MD5 of the download ("<hex>  name"), where the publisher has one. */
    md5Url: optionalString({ pattern: '^https?://' }),
  },
  closed,
);

/** `litmine serve`: where it listens and what it lets through. */
const serveSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    /** Required in the `x-api-key` header of /api/* and /metrics when set (a secret: from the environment). */
    apiKey: optionalString({ minLength: 16 }),
    /** Origins allowed to call the API from a browser (CORS); empty: same origin only. */
    corsOrigins: Type.Array(Type.String({ pattern: CORS_ORIGIN_PATTERN })),
    /** Requests per client address per window; 0 turns the limit off. */
    rateLimit: Type.Object({ max: Type.Integer({ minimum: 0 }), windowMs: Type.Integer({ minimum: 1000 }) }, closed),
    /** A store query taking longer is answered 504. */
    queryTimeoutMs: Type.Integer({ minimum: 100, maximum: 600000 }),
    maxPageSize: Type.Integer({ minimum: 1, maximum: 1000 }),
    maxQueryLength: Type.Integer({ minimum: 10, maximum: 10000 }),
    logLevel: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'silent']),
  },
  closed,
);

export const configSchema = Type.Object(
  {
    dataDir: Type.String({ minLength: 1 }),
    log: Type.Object({ kind: oneOf(['embedded', 'kafka']), kafka: kafkaSchema }, closed),
    store: Type.Object({ kind: oneOf(['embedded', 'elasticsearch']), elasticsearch: elasticsearchSchema }, closed),
    topics: Type.Object(
      { articles: topicName(), annotations: topicName(), entities: topicName(), relations: topicName(), deadLetters: topicName() },
      closed,
    ),
    models: Type.Object(
      {
        /** Model folders; relative paths resolve against the litmine installation. */
        ner: Type.String({ minLength: 1 }),
        re: nullable(Type.String({ minLength: 1 })),
        executionProvider: oneOf(['cpu', 'cuda']),
        intraOpThreads: Type.Integer({ minimum: 0, maximum: 256 }),
        /**
         * Most sentences per model call. Sentences are bucketed by length and batches are also capped
         * at 4,096 padded tokens (run-batches.ts), so padding stays small. Results do not depend on it
         * with the committed models (static int8: every activation scale is a constant fixed at export);
         * with dynamically quantized exports they would (the scale is computed per batch tensor).
         */
        batchSize: Type.Integer({ minimum: 1, maximum: 4096 }),
        /**
         * Sessions per model run at once on separate batches, each with intraOpThreads threads. Default
         * 1 × 2 threads, for 2 cores; more cores: e.g. 4 cores, sessions 2 × intraOpThreads 2 (npm run
         * bench measures 1 × 2 against 2 × 1).
         */
        sessions: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
      },
      closed,
    ),
    ncbi: Type.Object(
      {
        eutilsBaseUrl: httpUrl(),
        pmcBaseUrl: httpUrl(),
        updateFilesBaseUrl: httpUrl(),
        apiKey: optionalString({ minLength: 1 }),
        tool: Type.String({ minLength: 1 }),
        email: optionalString({ pattern: '^[^@\\s]+@[^@\\s]+$' }),
        /** PMIDs per efetch call (NCBI allows up to 10,000; 200 is polite). */
        efetchBatchSize: Type.Integer({ minimum: 1, maximum: 10000 }),
        /** E-utilities date type for windows: entrez, publication or modification date. */
        datetype: oneOf(['edat', 'pdat', 'mdat']),
      },
      closed,
    ),
    schedule: Type.Object(
      {
        cron: Type.String({ minLength: 9 }),
        timezone: Type.String({ minLength: 1 }),
        sources: Type.Array(oneOf(['pubmed', 'pmc', 'updatefiles']), { minItems: 1 }),
      },
      closed,
    ),
    vocab: Type.Object({ downloads: Type.Array(vocabDownloadSchema) }, closed),
    serve: serveSchema,
  },
  closed,
);

export type LitmineConfig = Static<typeof configSchema>;
export type KafkaConfig = Static<typeof kafkaSchema>;
export type ElasticsearchConfig = Static<typeof elasticsearchSchema>;
export type ServeConfig = Static<typeof serveSchema>;
export type VocabDownload = Static<typeof vocabDownloadSchema>;

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
  serve: {
    host: '127.0.0.1',
    port: 8080,
    corsOrigins: [],
    rateLimit: { max: 600, windowMs: 60_000 },
    queryTimeoutMs: 5000,
    maxPageSize: 100,
    maxQueryLength: 500,
    logLevel: 'info',
  },
  vocab: {
    // NLM publishes no checksums for MeSH or HGNC's set; NCBI does for the taxonomy dump.
    downloads: [
      { url: 'https://nlmpubs.nlm.nih.gov/projects/mesh/MESH_FILES/xmlmesh/desc2025.xml' },
      { url: 'https://nlmpubs.nlm.nih.gov/projects/mesh/MESH_FILES/xmlmesh/supp2025.xml' },
      { url: 'https://ftp.ncbi.nlm.nih.gov/gene/DATA/GENE_INFO/Mammalia/Homo_sapiens.gene_info.gz' },
      { url: 'https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/hgnc_complete_set.txt' },
      {
        url: 'https://ftp.ncbi.nlm.nih.gov/pub/taxonomy/taxdump.tar.gz',
        md5Url: 'https://ftp.ncbi.nlm.nih.gov/pub/taxonomy/taxdump.tar.gz.md5',
      },
    ],
  },
};
