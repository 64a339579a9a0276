/**
 * Without a normalization dictionary litmine works as before and says so once, with the command
 * that builds one; `litmine eval norm` without one is a usage error naming that command.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { litmine } from '../pipeline/cli-io.js';
import { TINY_NER } from '../nlp/tiny-models.js';

test('a command that annotates says once that mentions are not normalized, and how to build a dictionary', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-nodict-'));
  const config = join(dir, 'litmine.config.json');
  writeFileSync(config, JSON.stringify({ models: { ner: TINY_NER, re: null } }));
  mkdirSync(join(dir, 'data')); // ask only reads a data directory; it must exist
  const r = await litmine('ask', 'What causes nephrotoxicity?', '--config', config, '--data-dir', join(dir, 'data'));
  t.is(r.code, 0, r.err);
  const notes = r.err.split('\n').filter((l) => l.includes('mentions are not normalized'));
  t.is(notes.length, 1);
  t.regex(notes[0]!, /litmine vocab build --from \S+/);
});

test('litmine eval norm without a dictionary is a usage error that names the build command', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-nodict-'));
  const file = join(dir, 'tiny.PubTator.txt');
  writeFileSync(file, '1|t|Cisplatin nephrotoxicity.\n1|a|Rats.\n1\t0\t9\tCisplatin\tChemical\tD002945\n');
  const r = await litmine('eval', 'norm', file, '--gold-spans-only', '--data-dir', join(dir, 'data'));
  t.is(r.code, 2);
  t.regex(r.err, /LITMINE_USAGE: .*no normalization dictionary.*litmine vocab build --from/s);
});
