/**
 * `litmine entity` counts from the store's entity read, exact for any entity: here one mentioned in
 * a single article below a thousand more frequent entities of its type (past the top-1,000 facet
 * window), by key and by text, with its co-mentions from the same read. Records are written here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { litmine } from '../pipeline/cli-io.js';
import { annotation, article, doc } from '../store/store-fixtures.js';

async function setup(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'litmine-entity-'));
  const common = Array.from({ length: 1000 }, (_, i) => `chemzz${String(i).padStart(4, '0')}`);
  const crowded = (id: string) =>
    doc({
      id,
      title: `Crowded ${id}`,
      published: '2020',
      abstract: [{ text: `${common.join(' ')}.`, mentions: common.map((c) => [c, 'Chemical']) }],
    });
  const rare = doc({
    id: 'pmid:3',
    title: 'Rare',
    published: '2021',
    abstract: [
      {
        text: 'Rareplatin caused nephrotoxicity.',
        mentions: [
          ['Rareplatin', 'Chemical'],
          ['nephrotoxicity', 'Disease'],
        ],
      },
    ],
  });
  const store = new SqliteStore({ path: join(dataDir, 'store.sqlite') });
  await store.init();
  const result = await store.apply(
    [crowded('pmid:1'), crowded('pmid:2'), rare].flatMap((d) => [
      { op: 'upsertArticle' as const, article: article(d) },
      { op: 'upsertAnnotation' as const, annotation: annotation(d) },
    ]),
  );
  if (result.rejected.length) throw new Error(result.rejected[0]!.reason);
  await store.close();
  return dataDir;
}

test('litmine entity: exact counts and co-mentions past the top 1,000 of a type, by key and by text', async (t) => {
  const dataDir = await setup();
  const facets = await litmine('facets', 'Chemical', '--limit', '1000', '--json', '--data-dir', dataDir);
  t.false(
    (JSON.parse(facets.out) as { key: string }[]).some((b) => b.key === 'Chemical:rareplatin'),
    'the entity is past the facet window',
  );
  const byKey = await litmine('entity', 'Chemical:rareplatin', '--json', '--data-dir', dataDir);
  t.is(byKey.code, 0, byKey.err);
  const e = JSON.parse(byKey.out);
  t.like(e, { key: 'Chemical:rareplatin', type: 'Chemical', mentions: 1, documents: 1, surface: 'Rareplatin' });
  t.deepEqual(
    e.coMentioned.map((b: { key: string; documents: number }) => [b.key, b.documents]),
    [['Disease:nephrotoxicity', 1]],
  );
  t.regex(byKey.err, /entity: "Chemical:rareplatin" → Chemical:rareplatin; 1 mentions/);
  const byText = await litmine('entity', 'rareplatin', '--json', '--data-dir', dataDir);
  t.deepEqual({ ...JSON.parse(byText.out), input: 'Chemical:rareplatin' }, e);
  const common = JSON.parse((await litmine('entity', 'Chemical:chemzz0007', '--json', '--data-dir', dataDir)).out);
  t.like(common, { mentions: 2, documents: 2 });
  t.is(common.coMentioned.length, 10, 'co-mentions are capped at twice --limit');
});
