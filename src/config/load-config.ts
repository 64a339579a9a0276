/**
 * Loads the configuration once at start: defaults ← file (--config, $LITMINE_CONFIG, or
 * ./litmine.config.json when present) ← environment ← command-line overrides; validates the result
 * with ajv, reporting every problem with its path, and freezes it.
 *
 *   const config = loadConfig({ env: process.env, overrides: { dataDir: '/tmp/x' } });
 */
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LitmineError } from '../errors.js';
import { configSchema, defaultConfig, type LitmineConfig } from './config-schema.js';

export type ConfigOverrides = { [key: string]: unknown };

/** Environment variables with a meaning of their own, mapped to config paths. */
const ENV_PATHS: Record<string, { path: string; parse?: (v: string) => unknown }> = {
  LITMINE_DATA_DIR: { path: 'dataDir' },
  LITMINE_LOG: { path: 'log.kind' },
  LITMINE_KAFKA_BROKERS: {
    path: 'log.kafka.brokers',
    parse: (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
  },
  LITMINE_KAFKA_CLIENT_ID: { path: 'log.kafka.clientId' },
  LITMINE_KAFKA_SSL: { path: 'log.kafka.ssl', parse: parseBoolean },
  LITMINE_KAFKA_SASL_MECHANISM: { path: 'log.kafka.sasl.mechanism' },
  LITMINE_KAFKA_SASL_USERNAME: { path: 'log.kafka.sasl.username' },
  LITMINE_KAFKA_SASL_PASSWORD: { path: 'log.kafka.sasl.password' },
  LITMINE_STORE: { path: 'store.kind' },
  LITMINE_ES_URL: { path: 'store.elasticsearch.node' },
  LITMINE_ES_API_KEY: { path: 'store.elasticsearch.apiKey' },
  LITMINE_ES_USERNAME: { path: 'store.elasticsearch.username' },
  LITMINE_ES_PASSWORD: { path: 'store.elasticsearch.password' },
  LITMINE_ES_CA_FILE: { path: 'store.elasticsearch.caFile' },
  LITMINE_ES_SERVER_MAJOR: { path: 'store.elasticsearch.serverMajor', parse: Number },
  LITMINE_NER_MODEL: { path: 'models.ner' },
  LITMINE_RE_MODEL: { path: 'models.re', parse: (v) => (v === 'none' ? null : v) },
  LITMINE_EXECUTION_PROVIDER: { path: 'models.executionProvider' },
  LITMINE_INTRA_OP_THREADS: { path: 'models.intraOpThreads', parse: Number },
  LITMINE_BATCH_SIZE: { path: 'models.batchSize', parse: Number },
  LITMINE_SESSIONS: { path: 'models.sessions', parse: Number },
  NCBI_API_KEY: { path: 'ncbi.apiKey' },
  LITMINE_NCBI_API_KEY: { path: 'ncbi.apiKey' },
  LITMINE_NCBI_EMAIL: { path: 'ncbi.email' },
  LITMINE_EUTILS_URL: { path: 'ncbi.eutilsBaseUrl' },
  LITMINE_PMC_URL: { path: 'ncbi.pmcBaseUrl' },
  LITMINE_UPDATEFILES_URL: { path: 'ncbi.updateFilesBaseUrl' },
  LITMINE_SCHEDULE_CRON: { path: 'schedule.cron' },
  LITMINE_SCHEDULE_TZ: { path: 'schedule.timezone' },
  LITMINE_SERVE_HOST: { path: 'serve.host' },
  LITMINE_SERVE_PORT: { path: 'serve.port', parse: Number },
  LITMINE_SERVE_API_KEY: { path: 'serve.apiKey' },
  LITMINE_SERVE_CORS_ORIGINS: {
    path: 'serve.corsOrigins',
    parse: (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
  },
  LITMINE_SERVE_RATE_LIMIT: { path: 'serve.rateLimit.max', parse: Number },
  LITMINE_SERVE_LOG_LEVEL: { path: 'serve.logLevel' },
};

/** Paths whose values are secrets: never printed. */
export const SECRET_PATHS = [
  'log.kafka.sasl.password',
  'store.elasticsearch.apiKey',
  'store.elasticsearch.password',
  'ncbi.apiKey',
  'serve.apiKey',
];

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  file?: string;
  /** Dotted paths → values, from command-line flags. */
  overrides?: ConfigOverrides;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Readonly<LitmineConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const config = structuredClone(defaultConfig) as unknown as Record<string, unknown>;

  const file = options.file ?? env.LITMINE_CONFIG ?? (existsSync(resolve(cwd, 'litmine.config.json')) ? 'litmine.config.json' : undefined);
  if (file) mergeDeep(config, readConfigFile(resolve(cwd, file)));

  for (const [name, { path, parse }] of Object.entries(ENV_PATHS)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') setPath(config, path, parse ? parse(raw) : raw);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(config, path, value);
  }

  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile<LitmineConfig>(configSchema);
  if (!validate(config)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath || '/';
      const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      return `  ${where}: ${e.message ?? 'invalid'}${extra}`;
    });
    throw new LitmineError('LITMINE_CONFIG', `invalid configuration${file ? ` (${file})` : ''}:\n${problems.join('\n')}`);
  }
  return deepFreeze(config as unknown as LitmineConfig);
}

/** A copy safe to print: secrets replaced by "***". */
export function redactConfig(config: LitmineConfig): LitmineConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const path of SECRET_PATHS) {
    if (getPath(copy, path) !== undefined) setPath(copy, path, '***');
  }
  return copy as unknown as LitmineConfig;
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new LitmineError('LITMINE_CONFIG', `configuration file ${path} does not exist`);
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isObject(parsed)) throw new Error('top level must be an object');
    return parsed;
  } catch (err) {
    throw new LitmineError('LITMINE_CONFIG', `configuration file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function parseBoolean(v: string): boolean | string {
  if (/^(1|true|yes)$/i.test(v)) return true;
  if (/^(0|false|no)$/i.test(v)) return false;
  return v; // left for the schema to reject, with its path
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeDeep(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    if (isObject(v) && isObject(existing)) mergeDeep(existing, v);
    else target[k] = v;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

function getPath(target: Record<string, unknown>, path: string): unknown {
  let node: unknown = target;
  for (const part of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
