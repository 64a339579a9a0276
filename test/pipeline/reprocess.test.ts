// `litmine reprocess` on the embedded default: replaying every article through the models rewrites
// the annotations in place — same documents, no duplicates — and a second reprocess resumes nothing.
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { TINY_NER } from '../nlp/tiny-models.js';
import { litmine } from './cli-io.js';

const sharedTest = hasSharedData ? test : test.skip;
process.env.LITMINE_NER_MODEL = TINY_NER;
process.env.LITMINE_RE_MODEL = 'none';

sharedTest('reprocess replays every article into the store without duplicating anything', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'litmine-reprocess-')), 'data');
  const run = await litmine('run', '--data-dir', dir, '--from', sharedPath('pubmed-xml', 'fatcat'));
  t.is(run.code, 0, run.err);
  const before = JSON.parse((await litmine('status', '--data-dir', dir, '--json')).out);
  const reprocess = await litmine('reprocess', '--data-dir', dir);
  t.is(reprocess.code, 0, reprocess.err);
  t.regex(reprocess.out, new RegExp(`reprocess: ${before.articles} articles`));
  const after = JSON.parse((await litmine('status', '--data-dir', dir, '--json')).out);
  t.deepEqual(
    [after.articles, after.sentences, after.mentions, after.relations],
    [before.articles, before.sentences, before.mentions, before.relations],
  );
});
