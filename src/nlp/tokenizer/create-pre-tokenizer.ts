/**
 * Builds a pre-tokenizer from a tokenizer.json `pre_tokenizer` entry (BERT's only; others refused).
 *
 *   createPreTokenizer({ type: 'BertPreTokenizer' })
 */
import { LitmineError } from '../../errors.js';
import { BertPreTokenizer } from './bert-pre-tokenizer.js';
import type { PreTokenizer } from './pre-tokenizer.js';

export function createPreTokenizer(config: Record<string, unknown> | null | undefined): PreTokenizer {
  switch (config?.type) {
    case 'BertPreTokenizer':
      return new BertPreTokenizer();
    default:
      throw new LitmineError('LITMINE_MODEL_LOAD', `tokenizer.json: unsupported pre_tokenizer type ${JSON.stringify(config?.type)}`);
  }
}
