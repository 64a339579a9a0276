/**
 * Loads a model folder's tokenizer: `tokenizer.json` (Hugging Face format, BERT family) when the
 * folder has one, else `vocab.txt` with the casing from config.json (`do_lower_case`, litmine's
 * export) or tokenizer_config.json (a user's Hugging Face export).
 *
 *   const tok = loadTokenizer('models/ner');  tok.encode('EGFR mutations').tokens
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LitmineError } from '../../errors.js';
import { BertNormalizer } from './bert-normalizer.js';
import { BertPreTokenizer } from './bert-pre-tokenizer.js';
import { createNormalizer } from './create-normalizer.js';
import { createPostProcessor } from './create-post-processor.js';
import { createPreTokenizer } from './create-pre-tokenizer.js';
import type { SpecialToken } from './post-processor.js';
import { BertProcessing } from './post-processor.js';
import { Tokenizer } from './tokenizer.js';
import { WordPiece } from './word-piece.js';

type Json = Record<string, unknown>;

function readJson(path: string): Json | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (err) {
    throw new LitmineError('LITMINE_MODEL_LOAD', `${path}: not valid JSON`, { cause: err });
  }
}

function specialsOf(model: WordPiece, path: string): Tokenizer['specials'] {
  const id = (t: string) => {
    const v = model.tokenToId(t);
    if (v === undefined) throw new LitmineError('LITMINE_MODEL_LOAD', `${path}: the vocabulary has no ${t}`);
    return v;
  };
  return { pad: id('[PAD]'), cls: id('[CLS]'), sep: id('[SEP]'), unk: model.unkId };
}

/** A tokenizer from a Hugging Face tokenizer.json object. */
export function tokenizerFromJson(json: Json, path = 'tokenizer.json'): Tokenizer {
  const m = json.model as Json | undefined;
  if (m?.type !== 'WordPiece') {
    throw new LitmineError('LITMINE_MODEL_LOAD', `${path}: model type ${JSON.stringify(m?.type)} is not WordPiece`);
  }
  const vocab = new Map(Object.entries(m.vocab as Record<string, number>));
  const model = new WordPiece(vocab, {
    unkToken: m.unk_token as string,
    continuingSubwordPrefix: m.continuing_subword_prefix as string,
    maxInputCharsPerWord: m.max_input_chars_per_word as number,
  });
  const specials = specialsOf(model, path);
  const post = createPostProcessor(json.post_processor as Json | null, {
    cls: ['[CLS]', specials.cls],
    sep: ['[SEP]', specials.sep],
  });
  const added = new Map<string, number>();
  for (const t of (json.added_tokens ?? []) as { id: number; content: string; special: boolean; normalized: boolean }[]) {
    // Normalised added tokens would be matched after normalisation; BERT exports have none.
    if (!t.normalized) added.set(t.content, t.id);
  }
  return new Tokenizer(
    createNormalizer(json.normalizer as Json | null),
    createPreTokenizer(json.pre_tokenizer as Json),
    model,
    post,
    specials,
    added,
  );
}

/** A tokenizer from vocab.txt text and BERT's basic-tokenizer settings. */
export function tokenizerFromVocab(
  vocabText: string,
  options: { lowercase: boolean; stripAccents?: boolean | null },
  path = 'vocab.txt',
): Tokenizer {
  const model = WordPiece.fromVocabText(vocabText);
  const specials = specialsOf(model, path);
  const cls: SpecialToken = ['[CLS]', specials.cls];
  const sep: SpecialToken = ['[SEP]', specials.sep];
  return new Tokenizer(
    new BertNormalizer({ lowercase: options.lowercase, stripAccents: options.stripAccents ?? null }),
    new BertPreTokenizer(),
    model,
    BertProcessing.bert(cls, sep),
    specials,
    // transformers registers these five as special added tokens for every BERT vocabulary.
    new Map(
      ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].flatMap((t) => {
        const id = model.tokenToId(t);
        return id === undefined ? [] : [[t, id] as [string, number]];
      }),
    ),
  );
}

export function loadTokenizer(dir: string): Tokenizer {
  const tokenizerJson = join(dir, 'tokenizer.json');
  const json = readJson(tokenizerJson);
  if (json) return tokenizerFromJson(json, tokenizerJson);
  const vocabPath = join(dir, 'vocab.txt');
  if (!existsSync(vocabPath)) {
    throw new LitmineError('LITMINE_MODEL_LOAD', `${dir}: neither tokenizer.json nor vocab.txt`);
  }
  const config = readJson(join(dir, 'config.json')) ?? {};
  const tokConfig = readJson(join(dir, 'tokenizer_config.json')) ?? {};
  const lowercase = (config.do_lower_case as boolean | undefined) ?? (tokConfig.do_lower_case as boolean | undefined) ?? true;
  const stripAccents = (tokConfig.strip_accents as boolean | null | undefined) ?? null;
  return tokenizerFromVocab(readFileSync(vocabPath, 'utf8'), { lowercase, stripAccents }, vocabPath);
}
