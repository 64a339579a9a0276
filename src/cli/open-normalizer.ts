/**
 * The normalizer the composition root hands the annotate stage: the dictionary under the data
 * directory (data/vocab/dictionary.sqlite) and the ranker in models/norm/, or none — then litmine
 * annotates as before and says once that mentions are not normalized and how to build a dictionary.
 *
 *   const normalizer = openNormalizer(config, installDir, io.err);  // Normalizer | undefined
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LitmineConfig } from '../config/config-schema.js';
import { Normalizer } from '../norm/normalizer.js';
import { loadRanker } from '../norm/ranker.js';
import { Dictionary } from '../vocab/dictionary.js';
import { DICTIONARY_FILE } from '../vocab/dictionary-schema.js';

export const BUILD_HINT =
  'litmine vocab build --from ../shared/data/vocab --lexicon ../shared/data/bc5cdr-pubtator/CDR_TrainingSet.PubTator.txt';

/** Where the dictionary is (looking creates nothing: a read-only command may name a data directory that does not exist). */
export function dictionaryPath(config: LitmineConfig): string {
  return join(resolve(config.dataDir), 'vocab', DICTIONARY_FILE);
}

export function openNormalizer(config: LitmineConfig, installDir: string, warn: (line: string) => void = () => {}): Normalizer | undefined {
  const path = dictionaryPath(config);
  if (!existsSync(path)) {
    warn(`litmine: no normalization dictionary at ${path}: mentions are not normalized (no ids); build one with: ${BUILD_HINT}`);
    return undefined;
  }
  return new Normalizer(Dictionary.open(path), loadRanker(join(installDir, 'models', 'norm', 'ranker.json')));
}
