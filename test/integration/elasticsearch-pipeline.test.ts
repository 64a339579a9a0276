/**
 * The pipeline into a real Elasticsearch node (integration tier), through the `litmine` command:
 * real PubMed and PMC XML indexed, then found by text, entity, relation and question; re-indexing
 * leaves counts unchanged; a DeleteCitation removes the article with its sentences, mentions and
 * relations. Skipped unless LITMINE_ES_URL is set (scripts/elasticsearch.sh start).
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openElasticsearchStore } from '../../src/store/open-elasticsearch-store.js';
import { hasSharedData } from '../helpers/shared-data.js';
import { ABSTRACTS_XML, runLitmine, setupDataDir } from './pipeline-helpers.js';

const node = process.env.LITMINE_ES_URL;
const it = node && hasSharedData ? test.serial : test.skip;
const env = { LITMINE_ES_URL: node ?? '', LITMINE_ES_SERVER_MAJOR: process.env.LITMINE_ES_SERVER_MAJOR ?? '7' };
const from = () => ABSTRACTS_XML().flatMap((p) => ['--from', p]);

async function json(args: string[]): Promise<unknown> {
  const r = await runLitmine(args, env);
  if (r.code !== 0) throw new Error(r.output);
  return JSON.parse(r.stdout);
}

it('real XML indexed into Elasticsearch is found by text, entity, relation and question; reruns and deletes are exact', async (t) => {
  const prefix = `it-${Date.now().toString(36)}`;
  const s = setupDataDir({ store: { kind: 'elasticsearch', elasticsearch: { indexPrefix: prefix } } });
  const base = ['--data-dir', s.dir, '--config', s.config];
  try {
    const run = await runLitmine(['run', ...base, ...from()], env);
    t.is(run.code, 0, run.output);
    const status = (await json(['status', ...base, '--json'])) as {
      articles: number;
      sentences: number;
      mentions: number;
      relations: number;
    };
    t.true(status.articles > 150 && status.sentences > 1000 && status.mentions > 100, JSON.stringify(status));

    // Text, with highlights.
    const hits = (await json(['search', ...base, 'protein', '--json'])) as { total: number; hits: { highlights: string[] }[] };
    t.true(hits.total > 0);
    t.true(hits.hits[0]!.highlights.some((h) => /«protein»/i.test(h)));

    // Entity: the most frequent disease mention, as a facet, then articles mentioning it.
    const diseases = (await json(['facets', ...base, 'Disease', '--json'])) as { key: string; documents: number }[];
    t.true(diseases.length > 0);
    const top = diseases[0]!;
    const byEntity = (await json(['search', ...base, top.key.split(':')[1]!, '--entity', top.key, '--json'])) as { total: number };
    t.true(byEntity.total > 0, `articles mentioning ${top.key}`);

    // Relation: any relation group found, then asked for by its subject with evidence.
    if (status.relations > 0) {
      const anyRel = (await json(['relations', ...base, top.key, '--json'])) as { relations: unknown[] };
      t.true(Array.isArray(anyRel.relations));
    }

    // Question: evidence sentences with PMIDs.
    const answer = (await json(['ask', ...base, 'Which proteins are involved in apoptosis?', '--json'])) as {
      sentences: { pmid?: string; text: string }[];
    };
    t.true(answer.sentences.length > 0);
    t.truthy(answer.sentences[0]!.pmid);

    // Re-indexing the same records changes nothing.
    const again = await runLitmine(['run', ...base, ...from()], env);
    t.is(again.code, 0, again.output);
    const status2 = (await json(['status', ...base, '--json'])) as typeof status;
    t.deepEqual(
      { articles: status2.articles, sentences: status2.sentences, mentions: status2.mentions, relations: status2.relations },
      { articles: status.articles, sentences: status.sentences, mentions: status.mentions, relations: status.relations },
    );

    // A DeleteCitation (an update-file fragment the test writes) removes the article and its annotations.
    const store = await openElasticsearchStore({ node: node!, serverMajor: Number(env.LITMINE_ES_SERVER_MAJOR), indexPrefix: prefix });
    const victim = (await store.search({ text: 'protein', limit: 1 })).hits[0]!;
    await store.close();
    const pmid = victim.documentId.replace('pmid:', '');
    const update = join(s.dir, 'update.xml');
    writeFileSync(
      update,
      `<?xml version="1.0"?>\n<PubmedArticleSet>\n<DeleteCitation>\n<PMID Version="1">${pmid}</PMID>\n</DeleteCitation>\n</PubmedArticleSet>\n`,
    );
    const del = await runLitmine(['run', ...base, '--from', update], env);
    t.is(del.code, 0, del.output);
    const after = await openElasticsearchStore({ node: node!, serverMajor: Number(env.LITMINE_ES_SERVER_MAJOR), indexPrefix: prefix });
    try {
      t.is(await after.getArticle(victim.documentId), null);
      const sentences = await after.search({ text: 'protein', target: 'sentences', limit: 1000 });
      t.false(sentences.hits.some((h) => h.documentId === victim.documentId));
      const counts = await after.counts();
      t.is(counts.articles, status.articles - 1);
      t.true(counts.sentences < status.sentences);

      // A reprocess fills a new index set and swaps the aliases while queries keep answering.
      let answering = true;
      let queries = 0;
      const failures: string[] = [];
      const querying = (async () => {
        while (answering) {
          try {
            const c = await after.counts();
            if (c.articles !== counts.articles) failures.push(`saw ${c.articles} articles mid-reprocess`);
            queries++;
          } catch (err) {
            failures.push(String(err));
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      const reprocess = await runLitmine(['reprocess', ...base, '--set', 'r2'], env);
      answering = false;
      await querying;
      t.is(reprocess.code, 0, reprocess.output);
      t.regex(reprocess.stdout, /index set r2 is now live/);
      t.deepEqual(failures, []);
      t.true(queries > 0);
      await after.refresh();
      t.deepEqual(await after.counts(), counts, 'the new set holds the same documents');
    } finally {
      await after.close();
    }
  } finally {
    const cleanup = await openElasticsearchStore({
      node: node!,
      serverMajor: Number(env.LITMINE_ES_SERVER_MAJOR),
      indexPrefix: prefix,
    }).catch(() => null);
    await cleanup?.dropAll();
    await cleanup?.close();
  }
});
