/**
 * ThreadSession: the committed NER model run in its own thread gives the in-process session's
 * logits bit for bit, leaves the event loop free while it runs, and reports bad models and bad
 * batches by path without dying.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { LitmineError } from '../../src/errors.js';
import { loadModelFolder } from '../../src/nlp/model-folder.js';
import { OnnxSession, type PaddedBatch } from '../../src/nlp/onnx-session.js';
import { padBatch } from '../../src/nlp/run-batches.js';
import { SessionPool } from '../../src/nlp/session-pool.js';
import { ThreadSession } from '../../src/nlp/thread-session.js';
import { REAL_NER, hasRealNer, realNerTest } from './tiny-models.js';

const SENTENCES = [
  'Cisplatin-induced nephrotoxicity was reduced by amifostine in patients with ovarian cancer.',
  'Mutations in BRCA1 raise the risk of breast cancer.',
  'Aspirin.',
];

// Loaded once: loading checks the manifest's hashes of the whole model file.
const folder = hasRealNer ? loadModelFolder(REAL_NER) : null!;

function batchOf(texts: readonly string[], repeat = 1): PaddedBatch {
  const { cls, sep, pad } = folder.tokenizer.specials;
  const seqs = texts.map((t) => {
    const ids = folder.tokenizer.encode(t.repeat(repeat), { addSpecialTokens: false }).ids.slice(0, folder.maxLength - 2);
    return [cls, ...ids, sep];
  });
  return padBatch(seqs, pad);
}

const options = () => ({ executionProvider: 'cpu' as const, intraOpThreads: 1, sessionConfig: folder.sessionConfig });

realNerTest('a session in its own thread returns the in-process logits bit for bit', async (t) => {
  const path = folder.modelPath;
  const local = await OnnxSession.create(path, options());
  const threaded = await ThreadSession.create(path, options());
  const expected = await local.run(batchOf(SENTENCES));
  const got = await threaded.run(batchOf(SENTENCES));
  await Promise.all([local.close(), threaded.close()]);
  t.deepEqual(got.dims, expected.dims);
  t.is(got.data.length, expected.data.length);
  t.true(Buffer.from(got.data.buffer).equals(Buffer.from(expected.data.buffer)));
});

realNerTest('the event loop keeps turning while a batch runs in the thread', async (t) => {
  const s = await ThreadSession.create(folder.modelPath, options());
  const big = () =>
    batchOf(
      Array.from({ length: 64 }, (_, i) => SENTENCES[i % 2]!),
      3,
    ); // 64 rows of ~90 tokens
  await s.run(big());
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  const started = performance.now();
  await s.run(big());
  const ms = performance.now() - started;
  clearInterval(timer);
  await s.close();
  t.log(`${ticks} timer ticks during a ${ms.toFixed(0)} ms run`);
  // A session on the main thread holds it for the whole run: no tick can fire until it returns.
  t.true(ticks >= 3, `${ticks} ticks in ${ms.toFixed(0)} ms`);
});

realNerTest('a pool of two threaded sessions gives each batch the single session’s logits', async (t) => {
  const path = folder.modelPath;
  const one = await ThreadSession.create(path, options());
  const pool = await SessionPool.create(path, options(), 2);
  t.is(pool.concurrency, 2);
  const batches = SENTENCES.map((s) => [s]);
  const expected = await Promise.all(batches.map((b) => one.run(batchOf(b))));
  const got = await Promise.all(batches.map((b) => pool.run(batchOf(b))));
  await Promise.all([one.close(), pool.close()]);
  got.forEach((g, i) => t.true(Buffer.from(g.data.buffer).equals(Buffer.from(expected[i]!.data.buffer)), `batch ${i}`));
});

test('a file that is no model fails to load with LITMINE_MODEL_LOAD naming it', async (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'litmine-thread-')), 'model.onnx');
  writeFileSync(path, 'not an onnx model');
  const err = await t.throwsAsync(ThreadSession.create(path, { executionProvider: 'cpu', intraOpThreads: 1 }));
  t.true(err instanceof LitmineError);
  t.is((err as LitmineError).code, 'LITMINE_MODEL_LOAD');
  t.true(err!.message.includes(path), err!.message);
});

realNerTest('a malformed batch is rejected with the model path, and the session goes on', async (t) => {
  const s = await ThreadSession.create(folder.modelPath, options());
  const bad = batchOf(SENTENCES);
  bad.seq += 1; // the tensors no longer hold batch × seq values
  const err = await t.throwsAsync(s.run(bad));
  t.true(err!.message.includes(s.path), err!.message);
  const ok = await s.run(batchOf(SENTENCES));
  t.deepEqual([...ok.dims], [3, batchOf(SENTENCES).seq, folder.labels.length]);
  await s.close();
  await t.throwsAsync(s.run(batchOf(SENTENCES)), { message: /closed/ });
});
