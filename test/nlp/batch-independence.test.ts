/**
 * Batch independence of the committed models: a sentence's mentions and relations must not depend
 * on what else is in its batch (padding, batch-mates), or a replay of the log with another batch
 * size would produce different records. 64 real sentences (BC5CDR test abstracts, read in place)
 * are annotated one at a time and then all inside one batch of 64.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import type { SentenceAnnotation } from '../../src/nlp/annotator.js';
import { createOnnxAnnotator } from '../../src/nlp/onnx-annotator.js';
import { segmentSentences } from '../../src/text/segment-sentences.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { REAL_NER, REAL_RE, hasRealNer, hasRealRe } from './tiny-models.js';

const run = hasSharedData && hasRealNer && hasRealRe ? test : test.skip;

/** Every 7th sentence of the BC5CDR test titles and abstracts: a spread of lengths and topics. */
function realSentences(n: number): string[] {
  const out: string[] = [];
  let k = 0;
  for (const line of readFileSync(sharedPath('bc5cdr-pubtator', 'CDR_TestSet.PubTator.txt'), 'utf8').split('\n')) {
    const m = /^\d+\|[ta]\|(.*)$/.exec(line);
    if (!m) continue;
    for (const s of segmentSentences(m[1]!)) {
      if (k++ % 7 === 0) out.push(m[1]!.slice(s.start, s.end));
      if (out.length === n) return out;
    }
  }
  return out;
}

run(
  'each of 64 real sentences gets byte-identical mentions and relations alone, in a batch of 64, and across a pool of two sessions',
  async (t) => {
    const sentences = realSentences(64);
    t.is(sentences.length, 64);
    const options = {
      nerDir: REAL_NER,
      reDir: REAL_RE,
      executionProvider: 'cpu' as const,
      intraOpThreads: 2,
      batchSize: 64,
      tokenBudget: 64 * 128, // all 64 in one NER batch
    };
    const a = await createOnnxAnnotator(options);
    const together = await a.annotate(sentences.map((text) => ({ text })));
    const alone: SentenceAnnotation[] = [];
    for (const text of sentences) alone.push(...(await a.annotate([{ text }])));
    await a.close();
    // Two sessions in two threads, batches of 8: each batch may land on either session.
    const pooled = await createOnnxAnnotator({ ...options, intraOpThreads: 1, sessions: 2, batchSize: 8 });
    const spread = await pooled.annotate(sentences.map((text) => ({ text })));
    await pooled.close();
    const mentions = together.reduce((n, r) => n + r.mentions.length, 0);
    const relations = together.reduce((n, r) => n + r.relations.length, 0);
    t.log(`${mentions} mentions, ${relations} relations in 64 sentences`);
    t.true(mentions > 64, 'the sentences carry mentions');
    t.true(relations > 0, 'and relations');
    sentences.forEach((text, i) => {
      t.is(JSON.stringify(together[i]), JSON.stringify(alone[i]), `sentence ${i}: ${text.slice(0, 60)}`);
      t.is(JSON.stringify(spread[i]), JSON.stringify(alone[i]), `sentence ${i} in the pool: ${text.slice(0, 60)}`);
    });
  },
);
