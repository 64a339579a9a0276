/**
 * Builds a post-processor from a tokenizer.json `post_processor` entry: BertProcessing, or a
 * TemplateProcessing whose single-sequence template is specials around `$A` (what transformers
 * writes for BERT). Other shapes are refused.
 *
 *   createPostProcessor({ type: 'BertProcessing', cls: ['[CLS]', 101], sep: ['[SEP]', 102] }, vocab)
 */
import { LitmineError } from '../../errors.js';
import { BertProcessing, type PostProcessor, type SpecialToken } from './post-processor.js';

type Json = Record<string, unknown>;

export function createPostProcessor(config: Json | null | undefined, defaults: { cls: SpecialToken; sep: SpecialToken }): PostProcessor {
  if (!config) return BertProcessing.bert(defaults.cls, defaults.sep);
  switch (config.type) {
    case 'BertProcessing':
      return BertProcessing.bert(config.cls as SpecialToken, config.sep as SpecialToken);
    case 'TemplateProcessing': {
      const specials = (config.special_tokens ?? {}) as Record<string, { ids: number[]; tokens: string[] }>;
      const prefix: SpecialToken[] = [];
      const suffix: SpecialToken[] = [];
      let seenSequence = false;
      for (const item of (config.single ?? []) as Json[]) {
        if ('Sequence' in item) {
          seenSequence = true;
          continue;
        }
        const name = (item.SpecialToken as { id: string } | undefined)?.id;
        const special = name === undefined ? undefined : specials[name];
        if (!special) throw new LitmineError('LITMINE_MODEL_LOAD', `tokenizer.json: template item ${JSON.stringify(item)} not understood`);
        const tokens = special.tokens.map((t, i): SpecialToken => [t, special.ids[i]!]);
        (seenSequence ? suffix : prefix).push(...tokens);
      }
      return new BertProcessing(prefix, suffix);
    }
    default:
      throw new LitmineError('LITMINE_MODEL_LOAD', `tokenizer.json: unsupported post_processor type ${JSON.stringify(config.type)}`);
  }
}
