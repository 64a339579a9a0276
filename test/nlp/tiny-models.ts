/**
 * Where the model-layer tests find models: the tiny random fixtures committed in test/nlp/tiny-model
 * (made by make-tiny-model.py) and the project's trained models in models/ner and models/re once
 * they are committed (tests over those skip cleanly while absent).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/shared-data.js';

export const TINY_NER = join(repoRoot, 'test', 'nlp', 'tiny-model', 'ner');
export const TINY_RE = join(repoRoot, 'test', 'nlp', 'tiny-model', 're');
export const REAL_NER = join(repoRoot, 'models', 'ner');
export const REAL_RE = join(repoRoot, 'models', 're');

export const hasRealNer = existsSync(join(REAL_NER, 'model.onnx'));
export const hasRealRe = existsSync(join(REAL_RE, 'model.onnx'));
export const realNerTest = hasRealNer ? test : test.skip;
export const realReTest = hasRealRe ? test : test.skip;

/** The golden-logits JSON next to a model, whatever the exporter named it (…golden…json). */
export function goldenLogitsFile(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const f = readdirSync(dir).find((n) => /golden.*\.json$/i.test(n));
  return f ? join(dir, f) : null;
}
