// `litmine models promote`: the gate on real evaluations of the tiny fixture models over a
// test-written CoNLL file — refused (exit 1, LITMINE_MODEL_REJECTED, config and data dir untouched)
// when the current default's recorded F1 is better by more than the tolerance, promoted (copied into
// the data dir, path recorded in the config file) when it is not.
import test from 'ava';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promotionVerdict } from '../../src/models/promote-gate.js';
import { TINY_NER, TINY_RE } from '../nlp/tiny-models.js';
import { litmine } from '../pipeline/cli-io.js';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'litmine-promote-'));
  const devel = join(root, 'devel.tsv');
  writeFileSync(
    devel,
    'Cisplatin\tB\ninduced\tO\nnephrotoxicity\tB\nin\tO\nrats\tO\n.\tO\n\nBRCA1\tO\nmutations\tO\ncause\tO\nbreast\tB\ncancer\tI\n.\tO\n\n',
  );
  const candidate = join(root, 'candidate');
  cpSync(TINY_NER, candidate, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(candidate, 'manifest.json'), 'utf8'));
  manifest.version = '0.0.2';
  manifest.evaluation_sets = { 'tiny-devel': { file: devel, types: ['Disease'] } };
  writeFileSync(join(candidate, 'manifest.json'), JSON.stringify(manifest));
  const current = join(root, 'current');
  cpSync(TINY_NER, current, { recursive: true });
  const config = join(root, 'litmine.config.json');
  writeFileSync(config, JSON.stringify({ models: { ner: current, re: null } }));
  return { root, devel, candidate, current, config, dataDir: join(root, 'data') };
}

function recordScore(dir: string, name: string, f1: number) {
  const p = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(p, 'utf8'));
  m.scores_typescript = { [name]: { precision: f1, recall: f1, f1 } };
  writeFileSync(p, JSON.stringify(m));
}

async function candidateF1(s: ReturnType<typeof setup>): Promise<number> {
  const r = await litmine('eval', 'ner', s.devel, '--model', s.candidate, '--type', 'Disease', '--json', '--data-dir', s.dataDir);
  return JSON.parse(r.out).f1;
}

test.serial('refused when the current default recorded a better F1 beyond the tolerance; nothing changes', async (t) => {
  const s = setup();
  const f1 = await candidateF1(s);
  recordScore(s.current, 'tiny-devel', f1 + 1);
  const before = readFileSync(s.config, 'utf8');
  const r = await litmine('models', 'promote', s.candidate, '--ner', '--tolerance', '0.5', '--config', s.config, '--data-dir', s.dataDir);
  t.is(r.code, 1, r.out);
  t.regex(r.err, /LITMINE_MODEL_REJECTED: tiny-ner@0\.0\.2 not promoted: .*tiny-devel -1\.00; nothing was changed/);
  t.regex(r.err, /tiny-devel\s+candidate\s+[\d.]+\s+current\s+[\d.]+ \(manifest\)\s+Δ -1\.00\s+WORSE/);
  t.is(readFileSync(s.config, 'utf8'), before);
  t.false(existsSync(join(s.dataDir, 'models')));
});

test.serial('promoted when no worse: copied into the data dir and recorded in the config file', async (t) => {
  const s = setup();
  const f1 = await candidateF1(s);
  recordScore(s.current, 'tiny-devel', f1 + 1);
  const r = await litmine('models', 'promote', s.candidate, '--tolerance', '2', '--config', s.config, '--data-dir', s.dataDir);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /tiny-ner@0\.0\.2 is now the default ner model .* run `litmine reprocess`/);
  const config = JSON.parse(readFileSync(s.config, 'utf8'));
  const installed = join(s.dataDir, 'models', 'ner', '0.0.2');
  t.deepEqual(config.models, { ner: installed, re: null });
  t.deepEqual(readFileSync(join(installed, 'model.onnx')), readFileSync(join(TINY_NER, 'model.onnx')));
  // the installed model is what `litmine eval` now uses by default
  const again = await litmine('eval', 'ner', s.devel, '--type', 'Disease', '--json', '--config', s.config, '--data-dir', s.dataDir);
  t.is(JSON.parse(again.out).model.version, '0.0.2');
});

test.serial('without a recorded score the current default is measured on the same file', async (t) => {
  const s = setup();
  const r = await litmine('models', 'promote', s.candidate, '--dry-run', '--json', '--config', s.config, '--data-dir', s.dataDir);
  t.is(r.code, 0, r.err);
  const v = JSON.parse(r.out);
  t.is(v.sets[0].currentFrom, 'measured');
  t.is(v.sets[0].delta, 0, 'same weights, same F1');
  t.false(existsSync(join(s.dataDir, 'models')));
});

test.serial('usage errors: wrong task flag, missing folder, bad tolerance', async (t) => {
  const s = setup();
  t.is((await litmine('models', 'promote', s.candidate, '--re', '--config', s.config, '--data-dir', s.dataDir)).code, 2);
  t.is((await litmine('models', 'promote', TINY_RE, '--ner', '--config', s.config, '--data-dir', s.dataDir)).code, 2);
  t.is((await litmine('models', 'promote', join(s.root, 'nope'), '--config', s.config, '--data-dir', s.dataDir)).code, 1);
  t.is((await litmine('models', 'promote', s.candidate, '--tolerance', '-1', '--config', s.config, '--data-dir', s.dataDir)).code, 2);
  t.is((await litmine('models', 'list', '--config', s.config)).code, 2);
});

test('the gate: no set may drop by more than the tolerance; no sets is no promotion', (t) => {
  const row = (candidate: number, current: number) => ({ name: 'x', candidate, current, currentFrom: 'manifest' as const });
  t.true(promotionVerdict([row(79.5, 79.78)], 0.5).ok);
  t.false(promotionVerdict([row(79.0, 79.78), row(90, 80)], 0.5).ok);
  t.false(promotionVerdict([], 0.5).ok);
});
