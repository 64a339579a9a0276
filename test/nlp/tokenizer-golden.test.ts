/**
 * The tokenizer against Hugging Face `tokenizers` on 4,037 real and edge-case texts: ids and
 * offsets must match on every line. The golden offsets count code points (Python); ours count
 * UTF-16 code units, so they are converted here.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { loadTokenizer, tokenizerFromJson } from '../../src/nlp/tokenizer/load-tokenizer.js';
import { goldenPath, sharedPath, sharedTest } from '../helpers/shared-data.js';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface GoldenLine {
  source: string;
  text: string;
  input_ids: number[];
  offsets: [number, number][];
}

function goldenLines(): GoldenLine[] {
  const text = gunzipSync(readFileSync(goldenPath('bert-base-uncased.wordpiece.jsonl.gz'))).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as GoldenLine);
}

/** Code point index → UTF-16 index for one text. */
function utf16Index(text: string): number[] {
  const map: number[] = [];
  let u = 0;
  for (const ch of text) {
    map.push(u);
    u += ch.length;
  }
  map.push(u);
  return map;
}

function check(t: import('ava').ExecutionContext, tokenizer: ReturnType<typeof loadTokenizer>): void {
  const lines = goldenLines();
  t.is(lines.length, 4037);
  const failures: string[] = [];
  for (const [i, g] of lines.entries()) {
    const enc = tokenizer.encode(g.text);
    const map = utf16Index(g.text);
    const expected = g.offsets.map(([s, e], k) =>
      (g.input_ids[k] === 101 || g.input_ids[k] === 102) && s === 0 && e === 0 ? [0, 0] : [map[s], map[e]],
    );
    const idsOk = JSON.stringify(enc.ids) === JSON.stringify(g.input_ids);
    const offOk = JSON.stringify(enc.offsets) === JSON.stringify(expected);
    if (!idsOk || !offOk) {
      failures.push(`line ${i + 1} (${g.source}) ${idsOk ? 'offsets' : 'ids'} differ: ${JSON.stringify(g.text.slice(0, 80))}`);
    }
  }
  t.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${lines.length} lines differ`);
}

sharedTest('vocab.txt tokenizer matches Hugging Face on every golden line (ids and offsets)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-vocab-'));
  symlinkSync(sharedPath('bert-vocab', 'bert-base-uncased-vocab.txt'), join(dir, 'vocab.txt'));
  check(t, loadTokenizer(dir));
});

sharedTest('tokenizer.json tokenizer matches Hugging Face on every golden line', (t) => {
  const json = JSON.parse(readFileSync(goldenPath('bert-base-uncased.tokenizer.json'), 'utf8'));
  check(t, tokenizerFromJson(json));
});
