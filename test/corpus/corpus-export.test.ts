// `litmine corpus export` over an embedded log holding self-written article records (and, where the
// shared data is present, over real PubMed XML ingested by `litmine ingest`): latest versions only,
// deletes honoured, sentences deduplicated, --exclude and --since applied, counts in the manifest.
import test from 'ava';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseSentence } from '../../src/corpus/normalise-sentence.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { recordMessage, tombstoneMessage } from '../../src/records/encode.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { litmine } from '../pipeline/cli-io.js';
import { article } from '../topologies/articles.js';

const TOPIC = 'litmine.articles';

async function storeWith(dataDir: string) {
  const log = openEmbeddedLog(join(dataDir, 'log.sqlite'));
  await log.ensureTopics([{ name: TOPIC, partitions: 1, cleanup: 'compact' }]);
  await log.produce([
    recordMessage(TOPIC, 'pmid:1', article('1', 'Old text that was revised. It should not appear.')),
    recordMessage(
      TOPIC,
      'pmid:1',
      article('1', 'Cisplatin causes nephrotoxicity in rats. The kidney damage was dose dependent.', { version: 2 }),
    ),
    recordMessage(
      TOPIC,
      'pmid:2',
      article('2', 'The kidney damage was dose dependent. BRCA1 is mutated in breast cancer.', { dates: { published: '2015' } }),
    ),
    recordMessage(TOPIC, 'pmid:3', article('3', 'This record is deleted later. Nothing of it is exported.')),
    tombstoneMessage(TOPIC, 'pmid:3', 'litmine.article'),
    recordMessage(TOPIC, 'pmid:4', article('4', 'Aspirin reduced the risk of stroke (p < 0.05). See Fig. 2 for details.', { dates: {} })),
  ]);
  await log.close();
}

function corpusLines(dir: string): string[] {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return [...m.train_shards, m.heldout].flatMap((f: string) => readFileSync(join(dir, f), 'utf8').split('\n')).filter(Boolean);
}

test('export writes the latest text of every live article, one sentence per line, each sentence once', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'litmine-corpus-'));
  const dataDir = join(root, 'data');
  await storeWith(dataDir);
  const out = join(root, 'corpus');
  const r = await litmine('corpus', 'export', '--data-dir', dataDir, '--out', out, '--heldout-percent', '0');
  t.is(r.code, 0, r.err);
  const lines = corpusLines(out);
  t.true(lines.includes('Cisplatin causes nephrotoxicity in rats.'));
  t.true(lines.includes('Aspirin reduced the risk of stroke (p < 0.05).'), 'the segmenter keeps "p < 0.05" inside the sentence');
  t.true(lines.includes('See Fig. 2 for details.'), 'no break after "Fig."');
  t.false(lines.some((l) => l.includes('Old text') || l.includes('deleted later')));
  t.is(lines.filter((l) => l === 'The kidney damage was dose dependent.').length, 1);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  t.is(m.documents, 3);
  t.is(m.sentences, lines.length);
  t.is(
    m.words,
    lines.reduce((n, l) => n + l.split(' ').length, 0),
  );
  t.is(m.duplicates_removed, 1);
  t.is(m.skipped.deleted, 1);
  t.deepEqual(m.date_range, { from: '2015-01-01', to: '2024-05-01' });
  t.regex(r.out, /corpus export: 3 documents, \d+ sentences, \d+ words in 1 shards/);
});

test('--exclude drops evaluation sentences (CoNLL tokens or plain lines, compared normalised) and --since old articles', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'litmine-corpus-'));
  const dataDir = join(root, 'data');
  await storeWith(dataDir);
  const conll = join(root, 'test.tsv');
  writeFileSync(conll, 'Cisplatin\tB\ncauses\tO\nnephrotoxicity\tB\nin\tO\nrats\tO\n.\tO\n\n');
  const plain = join(root, 'sentences.txt');
  writeFileSync(plain, 'see fig 2 for details\n');
  const out = join(root, 'corpus');
  const r = await litmine(
    'corpus',
    'export',
    '--data-dir',
    dataDir,
    '--out',
    out,
    '--exclude',
    conll,
    '--exclude',
    plain,
    '--heldout-percent',
    '0',
  );
  t.is(r.code, 0, r.err);
  const lines = corpusLines(out);
  t.false(lines.includes('Cisplatin causes nephrotoxicity in rats.'));
  t.false(lines.includes('See Fig. 2 for details.'));
  t.true(lines.includes('The kidney damage was dose dependent.'));
  t.is(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).excluded.removed, 2);

  const recent = join(root, 'recent');
  t.is((await litmine('corpus', 'export', '--data-dir', dataDir, '--out', recent, '--since', '2020', '--heldout-percent', '0')).code, 0);
  const recentLines = corpusLines(recent);
  t.false(
    recentLines.some((l) => l.includes('BRCA1')),
    'pmid:2 (2015) is before --since 2020',
  );
  t.true(recentLines.includes('Cisplatin causes nephrotoxicity in rats.'));
  const m = JSON.parse(readFileSync(join(recent, 'manifest.json'), 'utf8'));
  t.deepEqual(m.skipped, { deleted: 1, before_since: 1, undated: 1, unreadable: 0 });
  t.is(m.documents, 1);
  t.is(normaliseSentence('IL - 2 ( p < 0.05 ) .'), normaliseSentence('IL-2 (p<0.05).'));
});

test('bad arguments are usage errors and write nothing', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'litmine-corpus-'));
  const dataDir = join(root, 'data');
  await storeWith(dataDir);
  t.is((await litmine('corpus', 'export', '--data-dir', dataDir)).code, 2);
  t.is((await litmine('corpus', 'export', '--data-dir', dataDir, '--out', join(root, 'c'), '--since', 'yesterday')).code, 2);
  const missing = await litmine('corpus', 'export', '--data-dir', dataDir, '--out', join(root, 'c'), '--exclude', join(root, 'nope.txt'));
  t.is(missing.code, 1);
  t.regex(missing.err, /LITMINE_INPUT_NOT_FOUND/);
  t.false(readdirSync(root).includes('c'));
});

sharedTest('export of real PubMed records ingested with `litmine ingest`', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'litmine-corpus-'));
  const dataDir = join(root, 'data');
  t.is((await litmine('ingest', '--data-dir', dataDir, '--from', sharedPath('pubmed-xml', 'fatcat'))).code, 0);
  const out = join(root, 'corpus');
  const test_ = sharedPath('ncbi-disease', 'biobert', 'test.tsv');
  const r = await litmine('corpus', 'export', '--data-dir', dataDir, '--out', out, '--exclude', test_);
  t.is(r.code, 0, r.err);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  t.true(m.documents > 100, `${m.documents} documents`);
  t.true(m.totals.heldout.documents >= 1);
  t.true(m.excluded.distinct_sentences > 900);
  const lines = corpusLines(out);
  t.is(new Set(lines.map(normaliseSentence)).size, lines.length, 'no sentence twice');
});
