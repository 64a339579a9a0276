/**
 * The first tokenizer stage: a normaliser rewrites a NormalizedString in place, keeping alignments.
 * One small class per kind; `createNormalizer` builds one from a tokenizer.json `normalizer` entry.
 *
 *   new BertNormalizer({ lowercase: true }).normalize(NormalizedString.from('Café'))  // 'cafe'
 */
import type { NormalizedString } from './normalized-string.js';

export abstract class Normalizer {
  abstract normalize(text: NormalizedString): void;
}
