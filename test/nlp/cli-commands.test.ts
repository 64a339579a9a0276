/** `litmine annotate` and `litmine eval` through the CLI entry point, on the tiny model fixtures. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../../src/cli.js';
import { createOnnxAnnotator } from '../../src/nlp/onnx-annotator.js';
import { segmentSentences } from '../../src/text/segment-sentences.js';
import { TINY_NER, TINY_RE } from './tiny-models.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), isTTY: false } };
}

test('annotate: JSONL in, one JSON line per record with offsets into the whole text', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-annotate-'));
  const input = join(dir, 'in.jsonl');
  const texts = ['Cisplatin induced nephrotoxicity. The BRCA1 protein interacts with RAD51.', 'Aspirin reduced risk.'];
  writeFileSync(input, `${texts.map((text, i) => JSON.stringify({ id: `d${i}`, text })).join('\n')}\nplain text line\n`);
  const c = io();
  const code = await main(['annotate', '--input', input, '--ner', TINY_NER, '--re', TINY_RE, '--data-dir', dir], c.io);
  t.is(code, 0, c.err.join('\n'));
  const lines = c.out.map((l) => JSON.parse(l));
  t.deepEqual(
    lines.map((l) => l.id),
    ['d0', 'd1', '3'],
  );
  // The CLI prints what the annotator computes sentence by sentence, offsets moved into each whole
  // text and relation ends renumbered per document (it adds each mention's text, rounds scores).
  const annotator = await createOnnxAnnotator({
    nerDir: TINY_NER,
    reDir: TINY_RE,
    executionProvider: 'cpu',
    intraOpThreads: 1,
    batchSize: 8,
  });
  const expected = [];
  for (const text of [...texts, 'plain text line']) {
    const sentences = segmentSentences(text);
    const results = await annotator.annotate(sentences.map((x) => ({ text: text.slice(x.start, x.end) })));
    const mentions: string[] = [];
    const relations: string[] = [];
    results.forEach((r, k) => {
      const base = mentions.length;
      const at = sentences[k]!.start;
      for (const m of r.mentions) mentions.push(`${at + m.start}-${at + m.end} ${m.type} ${m.score.toFixed(4)}`);
      for (const x of r.relations) relations.push(`${base + x.subject}-${base + x.object} ${x.type} ${x.score.toFixed(4)}`);
    });
    expected.push({ mentions, relations });
  }
  await annotator.close();
  t.deepEqual(
    lines.map((l) => ({
      mentions: l.mentions.map(
        (m: { start: number; end: number; type: string; score: number }) => `${m.start}-${m.end} ${m.type} ${m.score.toFixed(4)}`,
      ),
      relations: l.relations.map(
        (r: { subject: number; object: number; type: string; score: number }) => `${r.subject}-${r.object} ${r.type} ${r.score.toFixed(4)}`,
      ),
    })),
    expected,
  );
  const mentions = lines
    .slice(0, 2)
    .flatMap((l, i) => l.mentions.map((m: { start: number; end: number; text: string }) => [i, m] as const));
  t.true(mentions.length > 0, 'the tiny model tags something in these texts');
  t.true(lines[0].relations.length > 0, "relations in d0's second sentence, renumbered past its first sentence's mentions");
  for (const [i, m] of mentions) t.is(texts[i]!.slice(m.start, m.end), m.text);
  for (const l of lines) for (const r of l.relations) t.truthy(l.mentions[r.subject] && l.mentions[r.object]);
  t.deepEqual(lines[0].models.ner, { name: 'tiny-ner', version: '0.0.1' });
});

test('eval ner: JSON result with precision, recall and F1; bad --type is a usage error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-eval-'));
  const file = join(dir, 'test.tsv');
  writeFileSync(file, 'Cisplatin\tB\ninduced\tO\nnephrotoxicity\tB\n.\tO\n\n');
  const c = io();
  t.is(
    await main(['eval', 'ner', file, '--model', TINY_NER, '--type', 'Chemical', '--json', '--data-dir', dir], c.io),
    0,
    c.err.join('\n'),
  );
  const r = JSON.parse(c.out[0]!);
  t.is(r.sentences, 1);
  // The counts are the model's own predictions against the two gold entities, worked out here.
  const words = ['Cisplatin', 'induced', 'nephrotoxicity', '.'];
  const starts = words.map((_, i) => words.slice(0, i).join(' ').length + (i > 0 ? 1 : 0));
  const annotator = await createOnnxAnnotator({ nerDir: TINY_NER, reDir: null, executionProvider: 'cpu', intraOpThreads: 1, batchSize: 8 });
  const [predicted] = await annotator.annotate([{ text: words.join(' ') }]);
  await annotator.close();
  const spans = (predicted?.mentions ?? [])
    .filter((m) => m.type === 'Chemical')
    .map((m) => `${starts.indexOf(m.start)}-${starts.findLastIndex((s) => s < m.end)}`);
  const gold = ['0-0', '2-2'];
  const tp = spans.filter((s) => gold.includes(s)).length;
  t.like(r, { tp, fp: spans.length - tp, fn: gold.length - tp });
  t.true(spans.length > 0, 'the tiny model predicts something to score');
  const pct = (x: number) => Math.round(x * 10000) / 100;
  const precision = tp / spans.length;
  const recall = tp / gold.length;
  t.is(r.precision, pct(precision));
  t.is(r.recall, pct(recall));
  t.is(r.f1, tp === 0 ? 0 : pct((2 * precision * recall) / (precision + recall)));
  t.true(c.err.some((l) => l.startsWith('eval ner: 1 sentences')));
  const bad = io();
  t.is(await main(['eval', 'ner', file, '--model', TINY_NER, '--type', 'Planet', '--data-dir', dir], bad.io), 2);
});
