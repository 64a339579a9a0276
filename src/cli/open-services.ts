/**
 * The composition root's factories: the configuration picks the log, the store and the models;
 * nothing else in litmine chooses an implementation. Distributed clients are imported only when
 * configured, so the embedded default never loads kafkajs or the Elasticsearch client.
 *
 *   const log = await openLog(config);  const store = await openStore(config);
 */
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { defaultConfig, type LitmineConfig } from '../config/config-schema.js';
import { LitmineError } from '../errors.js';
import type { Log } from '../log/log.js';
import type { Annotator } from '../nlp/annotator.js';
import type { SearchStore } from '../store/store.js';
import { requireDataDir } from './require-data-dir.js';

export function dataPath(config: LitmineConfig, ...parts: string[]): string {
  const dir = resolve(config.dataDir);
  mkdirSync(dir, { recursive: true });
  return join(dir, ...parts);
}

/** `readOnly` for commands that only read: the embedded log then needs an existing data directory. */
export async function openLog(config: LitmineConfig, options: { readOnly?: boolean } = {}): Promise<Log> {
  if (config.log.kind === 'kafka') {
    const { KafkaLog } = await import('../log/kafka-log.js');
    const k = config.log.kafka;
    const ssl = k.caFile || k.certFile || k.keyFile ? { ca: k.caFile, cert: k.certFile, key: k.keyFile } : k.ssl;
    return new KafkaLog({ brokers: [...k.brokers], clientId: k.clientId, ssl, sasl: k.sasl ? { ...k.sasl } : undefined });
  }
  if (options.readOnly) requireDataDir(config);
  const { openEmbeddedLog } = await import('../log/embedded-log.js');
  return openEmbeddedLog(dataPath(config, 'log.sqlite'));
}

/**
 * `readOnly` for query commands: an Elasticsearch store then writes no templates or indices, and the
 * embedded store needs an existing data directory instead of creating one.
 */
export async function openStore(config: LitmineConfig, options: { readOnly?: boolean } = {}): Promise<SearchStore> {
  if (config.store.kind === 'elasticsearch') {
    const { openElasticsearchStore } = await import('../store/open-elasticsearch-store.js');
    return openElasticsearchStore(config.store.elasticsearch, options);
  }
  if (options.readOnly) requireDataDir(config);
  const { SqliteStore } = await import('../store/sqlite-store.js');
  return new SqliteStore({ path: dataPath(config, 'store.sqlite') });
}

/** Model folders from configuration; relative paths resolve against the installation. */
export function modelDirs(config: LitmineConfig, installDir: string): { ner: string; re: string | null } {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(installDir, p));
  return { ner: at(config.models.ner), re: config.models.re ? at(config.models.re) : null };
}

export async function openAnnotator(
  config: LitmineConfig,
  installDir: string,
  warn: (line: string) => void = () => {},
): Promise<Annotator> {
  const dirs = modelDirs(config, installDir);
  if (dirs.re && !existsSync(dirs.re) && config.models.re === defaultConfig.models.re) {
    // The default relation model is optional; one configured explicitly must exist.
    warn(`litmine: no relation model at ${dirs.re}; annotating entities only`);
    dirs.re = null;
  }
  try {
    const { createOnnxAnnotator } = await import('../nlp/onnx-annotator.js');
    const { openNormalizer } = await import('./open-normalizer.js');
    return await createOnnxAnnotator({
      nerDir: dirs.ner,
      reDir: dirs.re,
      executionProvider: config.models.executionProvider,
      intraOpThreads: config.models.intraOpThreads,
      batchSize: config.models.batchSize,
      normalizer: openNormalizer(config, installDir, warn),
      sessions: config.models.sessions,
    });
  } catch (err) {
    if (err instanceof LitmineError) throw err;
    throw new LitmineError(
      'LITMINE_MODEL_LOAD',
      `cannot load the models (${dirs.ner}, ${dirs.re ?? 'no RE model'}): ${(err as Error).message}`,
      { cause: err },
    );
  }
}
