/**
 * Builds a normaliser from a tokenizer.json `normalizer` entry; unknown kinds are refused rather
 * than silently tokenising differently from the model's training.
 *
 *   createNormalizer({ type: 'BertNormalizer', lowercase: false, strip_accents: null })
 */
import { LitmineError } from '../../errors.js';
import { BertNormalizer } from './bert-normalizer.js';
import type { Normalizer } from './normalizer.js';

export function createNormalizer(config: Record<string, unknown> | null | undefined): Normalizer | null {
  if (!config) return null;
  switch (config.type) {
    case 'BertNormalizer':
      return new BertNormalizer({
        cleanText: (config.clean_text as boolean | undefined) ?? true,
        handleChineseChars: (config.handle_chinese_chars as boolean | undefined) ?? true,
        stripAccents: (config.strip_accents as boolean | null | undefined) ?? null,
        lowercase: (config.lowercase as boolean | undefined) ?? true,
      });
    default:
      throw new LitmineError('LITMINE_MODEL_LOAD', `tokenizer.json: unsupported normalizer type ${JSON.stringify(config.type)}`);
  }
}
