/**
 * The contract for index sets, part of the store contract suite (store-contract.ts calls it for each
 * store): a new set fills apart from the live one, a swap reaches a reader and a writer opened on the
 * store before it, the previous set keeps its contents until dropped, the live set cannot be dropped,
 * and unknown or unusable names are LITMINE_INDEX_SET errors naming the set.
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { LitmineError } from '../../src/errors.js';
import type { SearchStore } from '../../src/store/store.js';
import type { StoreFactory } from './store-contract.js';
import { CORPUS_COUNTS, DOC_A, DOC_B, DOC_C, DOC_D, DOC_E, annotation, article, corpusOps } from './store-fixtures.js';

const NEW_MODEL = 'mv-test-0002';

export function indexSetContract(name: string, open: StoreFactory, options: { skip?: string } = {}): void {
  const test = anyTest as TestFn;
  const it = options.skip ? test.skip : test;
  const title = (t: string) => `${name}: index sets: ${t}${options.skip ? ` (skipped: ${options.skip})` : ''}`;

  /** A fresh store loaded with the corpus, a second handle on the same store, and every set store opened, closed after. */
  const withStore =
    (body: (store: SearchStore, reopen: () => Promise<SearchStore>, track: (s: SearchStore) => SearchStore) => Promise<void>) =>
    async () => {
      const opened = await open();
      const others: SearchStore[] = [];
      const track = (s: SearchStore) => {
        others.push(s);
        return s;
      };
      try {
        await opened.store.init();
        await opened.store.apply(corpusOps());
        await opened.store.refresh();
        const reopen = async () => {
          if (!opened.reopen) throw new Error(`${name}: the store factory gives no second handle (reopen)`);
          const s = track(opened.reopen());
          await s.init();
          return s;
        };
        await body(opened.store, reopen, track);
      } finally {
        for (const s of others) await s.close().catch(() => {});
        await opened.store.close().catch(() => {});
        await opened.dispose?.();
      }
    };

  const indexSetError = async (t: ExecutionContext, work: Promise<unknown>, message: RegExp) => {
    const err = await t.throwsAsync(work);
    t.true(err instanceof LitmineError, String(err));
    t.is((err as LitmineError).code, 'LITMINE_INDEX_SET');
    t.regex(err!.message, message);
  };

  it(title('a fresh store has one set, and it is live'), async (t) => {
    await withStore(async (store) => {
      const live = await store.currentIndexSet();
      t.truthy(live);
      t.deepEqual(await store.listIndexSets(), [live]);
    })();
  });

  it(title('a new set fills apart from the live one; the swap reaches a reader and a writer opened before it'), async (t) => {
    await withStore(async (store, reopen, track) => {
      const live = (await store.currentIndexSet())!;
      const reader = await reopen();
      const next = track(await store.createIndexSet('next', { bulkLoad: true }));
      const kept = [DOC_A, DOC_C, DOC_D, DOC_E];
      const filled = await next.apply(
        kept.flatMap((d) => [
          { op: 'upsertArticle' as const, article: article(d) },
          { op: 'upsertAnnotation' as const, annotation: annotation(d, NEW_MODEL) },
        ]),
      );
      t.deepEqual(filled.rejected, []);
      await next.refresh();
      t.deepEqual(await store.listIndexSets(), [live, 'next'].sort());

      // Before the swap the reader answers from the live set only.
      t.deepEqual(await reader.counts(), CORPUS_COUNTS);
      const before = await reader.relations({ entity: { text: 'nephrotoxicity' } });
      t.deepEqual(
        before.relations[0]!.evidence.map((e) => e.relationId),
        [annotation(DOC_A).relations[0]!.id, annotation(DOC_B).relations[0]!.id],
      );

      t.is(await store.swapTo('next'), live);
      await reader.refresh();
      t.is(await reader.currentIndexSet(), 'next');
      t.is((await reader.counts()).articles, kept.length);
      t.is(await reader.getArticle(DOC_B.id), null);
      const after = await reader.relations({ entity: { text: 'nephrotoxicity' } });
      t.deepEqual(
        after.relations[0]!.evidence.map((e) => e.relationId),
        [annotation(DOC_A, NEW_MODEL).relations[0]!.id],
      );

      // Writes through the store opened before the swap land in the new set.
      await store.apply([{ op: 'deleteArticle', documentId: DOC_A.id }]);
      await store.refresh();
      t.is(await next.getArticle(DOC_A.id), null);
      t.is((await reader.counts()).articles, kept.length - 1);

      // The previous set is untouched until dropped.
      const previous = track(await store.createIndexSet(live));
      t.deepEqual(await previous.counts(), CORPUS_COUNTS);
    })();
  });

  it(title('dropping refuses the live set and removes another'), async (t) => {
    await withStore(async (store, _reopen, track) => {
      const live = (await store.currentIndexSet())!;
      const spare = track(await store.createIndexSet('spare'));
      await spare.apply(corpusOps([DOC_C]));
      t.deepEqual(await store.listIndexSets(), [live, 'spare'].sort());
      await indexSetError(t, store.dropIndexSet(live), new RegExp(`index set ${live} is live`));
      await store.dropIndexSet('spare');
      t.deepEqual(await store.listIndexSets(), [live]);
      t.is((await store.search({ text: 'cisplatin' })).total, 2);
    })();
  });

  it(title('unknown and unusable names are errors naming the set'), async (t) => {
    await withStore(async (store) => {
      const live = await store.currentIndexSet();
      await indexSetError(t, store.swapTo('missing'), /no index set missing/);
      await indexSetError(t, store.dropIndexSet('missing'), /no index set missing/);
      await indexSetError(t, store.createIndexSet('-bad'), /not a usable index set name: "-bad"/);
      t.is(await store.currentIndexSet(), live);
      t.deepEqual(await store.counts(), CORPUS_COUNTS);
    })();
  });

  it(title('creating an existing set keeps its contents, so a stopped fill resumes'), async (t) => {
    await withStore(async (store, _reopen, track) => {
      const first = track(await store.createIndexSet('resumed', { bulkLoad: true }));
      await first.apply(corpusOps([DOC_A, DOC_B]));
      await first.refresh();
      await first.close();
      const again = track(await store.createIndexSet('resumed', { bulkLoad: true }));
      await again.apply(corpusOps([DOC_C]));
      await again.refresh();
      t.is((await again.counts()).articles, 3);
      t.deepEqual(await store.counts(), CORPUS_COUNTS);
    })();
  });
}
