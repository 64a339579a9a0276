/** `litmine annotate` and `litmine eval` through the CLI entry point, on the tiny model fixtures. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../../src/cli.js';
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
  for (const [i, l] of lines.slice(0, 2).entries()) {
    for (const m of l.mentions) t.is(texts[i]!.slice(m.start, m.end), m.text);
    for (const r of l.relations) t.truthy(l.mentions[r.subject] && l.mentions[r.object]);
  }
  t.deepEqual(lines[0].models.ner, { name: 'tiny-ner', version: '0.0.1' });
});

test('eval ner: JSON result with precision, recall and F1; bad --type is a usage error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-eval-'));
  const file = join(dir, 'test.tsv');
  writeFileSync(file, 'Cisplatin\tB\ninduced\tO\nnephrotoxicity\tB\n.\tO\n\n');
  const c = io();
  t.is(await main(['eval', 'ner', file, '--model', TINY_NER, '--type', 'Disease', '--json', '--data-dir', dir], c.io), 0, c.err.join('\n'));
  const r = JSON.parse(c.out[0]!);
  t.is(r.sentences, 1);
  t.true('precision' in r && 'recall' in r && 'f1' in r);
  t.true(c.err.some((l) => l.startsWith('eval ner: 1 sentences')));
  const bad = io();
  t.is(await main(['eval', 'ner', file, '--model', TINY_NER, '--type', 'Planet', '--data-dir', dir], bad.io), 2);
});
