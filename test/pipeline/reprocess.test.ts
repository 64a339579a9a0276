// `litmine reprocess` on the embedded default: replaying every article through the models fills a new
// index set (a file beside the store file) and makes it live — same documents, no duplicates — with
// the previous set kept until a later reprocess drops it.
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { TINY_NER } from '../nlp/tiny-models.js';
import { litmine } from './cli-io.js';

const sharedTest = hasSharedData ? test : test.skip;
process.env.LITMINE_NER_MODEL = TINY_NER;
process.env.LITMINE_RE_MODEL = 'none';

const countsOf = async (dir: string) => {
  const s = JSON.parse((await litmine('status', '--data-dir', dir, '--json')).out);
  return [s.articles, s.sentences, s.mentions, s.relations];
};

sharedTest('reprocess fills a new index set with every article, swaps to it, and drops the previous one on request', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'litmine-reprocess-')), 'data');
  const run = await litmine('run', '--data-dir', dir, '--from', sharedPath('pubmed-xml', 'fatcat'));
  t.is(run.code, 0, run.err);
  const before = await countsOf(dir);

  const reprocess = await litmine('reprocess', '--data-dir', dir);
  t.is(reprocess.code, 0, reprocess.err);
  t.regex(reprocess.out, new RegExp(`reprocess: ${before[0]} articles`));
  const set = /index set (\w+) is now live \(was 1, kept/.exec(reprocess.out)?.[1];
  t.truthy(set, reprocess.out);
  t.is(readFileSync(join(dir, 'store.sqlite.live'), 'utf8').trim(), set ?? '');
  t.true(existsSync(join(dir, 'store.sqlite')), 'the previous set is kept');
  t.deepEqual(await countsOf(dir), before);

  const again = await litmine('reprocess', '--data-dir', dir, '--set', 'r2', '--drop-previous');
  t.is(again.code, 0, again.err);
  t.regex(again.out, new RegExp(`index set r2 is now live; dropped the previous set ${set}`));
  t.false(existsSync(join(dir, `store-${set}.sqlite`)));
  t.true(existsSync(join(dir, 'store-r2.sqlite')));
  t.deepEqual(await countsOf(dir), before);
});
