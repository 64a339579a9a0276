/**
 * The analysts' page in headless Chromium against a real `litmine serve` socket over a store built
 * from real PubMed XML (plus one hostile record): search with keyboard autocomplete, article with
 * coloured mentions, entity page with relation evidence, relation search with type-only sides, and
 * an XSS check. Any console error or page error fails the test. Runs on the embedded store
 * (page-embedded.test.ts) and on Elasticsearch (page-elasticsearch.test.ts).
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/serve/build-app.js';
import type { SearchStore } from '../../src/store/store.js';
import { hasSharedData, sharedPath } from '../helpers/shared-data.js';
import { HOSTILE_ABSTRACT, HOSTILE_TITLE, loadServeCorpus } from '../serve/serve-fixture.js';
import type { OpenedStore } from '../store/store-contract.js';
import { SCREENSHOTS, launchChromium, noChromiumReason } from './chromium.js';

const API_KEY = 'browser-tier-api-key-0123456789';

interface Context {
  app: FastifyInstance;
  store: SearchStore;
  base: string;
  browser: Browser;
  dispose?: () => Promise<void>;
}

export function pageSuite(name: string, open: () => Promise<OpenedStore>, options: { skip?: string } = {}): void {
  const skip = options.skip ?? noChromiumReason ?? (hasSharedData ? undefined : 'no ../shared/data');
  const base = anyTest as TestFn<Context>;
  const serial = skip ? base.serial.skip : base.serial;
  const title = (t: string) => `${name} page: ${t}${skip ? ` (skipped: ${skip})` : ''}`;

  base.before(async (t) => {
    if (skip) return;
    const opened = await open();
    await opened.store.init();
    await loadServeCorpus(opened.store, [sharedPath('pubmed-xml')]);
    // With an API key, as operators serve it beyond loopback: the page must load and ask for it.
    const app = await buildApp({ store: opened.store, apiKey: API_KEY });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    t.context = { app, store: opened.store, base, browser: await launchChromium(), dispose: opened.dispose };
  });
  base.after.always(async (t) => {
    if (skip || !t.context.app) return;
    await t.context.browser.close();
    await t.context.app.close();
    await t.context.store.close();
    await t.context.dispose?.();
  });

  /**
   * A fresh page that records console errors and page errors; the test fails on any but those
   * `expected` names (the browser's own line for an API answer the test asked for). The page holds
   * the API key as after its key form, unless `withoutKey`.
   */
  const withPage = async (
    t: ExecutionContext<Context>,
    body: (page: Page) => Promise<void>,
    options: { withoutKey?: boolean; expected?: RegExp } = {},
  ) => {
    const page = await t.context.browser.newPage({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    if (!options.withoutKey) await page.addInitScript(`sessionStorage.setItem('litmine-api-key', ${JSON.stringify(API_KEY)})`);
    const problems: string[] = [];
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && !options.expected?.test(m.text())) problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    try {
      await body(page);
    } finally {
      await page.close();
    }
    t.deepEqual(problems, [], 'no console errors, page errors or dialogs');
    return failed;
  };
  const shot = (page: Page, file: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}-${file}.png`), fullPage: true });

  serial(title('search → pick an autocomplete suggestion by keyboard → article with mentions → entity → relation evidence'), async (t) => {
    await withPage(t, async (page) => {
      await page.goto(t.context.base);
      const box = page.getByRole('combobox', { name: 'Search words, or pick an entity' });
      await box.pressSequentially('cispl', { delay: 30 });
      const option = page.getByRole('option').first();
      await option.waitFor();
      t.is(await box.getAttribute('aria-expanded'), 'true');
      t.regex((await option.textContent()) ?? '', /cisplatin/i);
      await page.keyboard.press('ArrowDown');
      t.is(await option.getAttribute('aria-selected'), 'true');
      t.is(await box.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
      await shot(page, '1-autocomplete');
      await page.keyboard.press('Enter');
      await page.locator('#result-count').waitFor();
      t.regex(page.url(), /entity=Chemical%3Acisplatin/);
      t.regex((await page.locator('#result-count').textContent()) ?? '', /of [1-9]\d* articles/);
      t.true((await page.locator('ol.hits li .mention.t-Chemical').count()) > 0, 'hits show their entities, coloured');
      await shot(page, '2-results');

      await page.locator('ol.hits li a.hit-title').first().click();
      await page.locator('#article-title').waitFor();
      const mentions = page.locator('article.doc [data-passage] .mention');
      t.true((await mentions.count()) > 0, 'the article shows its mentions');
      const chem = page.locator('article.doc .mention.t-Chemical').first();
      t.regex((await chem.getAttribute('title')) ?? '', /^Chemical · Chemical:cisplatin · score \d\.\d\d$/);
      t.true((await page.locator('ol.relations li').count()) > 0, 'relations listed');
      t.true(((await page.locator('ol.relations li .evidence-sentence').first().textContent()) ?? '').length > 10, 'with their sentence');
      await shot(page, '3-article');
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export button[data-format="pubtator"]').click()]);
      const exported = readFileSync((await download.path())!, 'utf8');
      t.regex(download.suggestedFilename(), /^pmid_\d+\.txt$/);
      t.regex(exported, /^\d+\|t\|/, 'the PubTator download starts with the title line');
      t.regex(exported, /\tChemical\t?/);

      await chem.click();
      await page.getByRole('heading', { name: 'Top relations' }).waitFor();
      t.regex(page.url(), /#\/entity\/Chemical%3Acisplatin$/);
      t.true((await page.locator('.years .bar').count()) > 0, 'counts over time');
      t.true((await page.getByRole('heading', { name: 'Mentioned with' }).count()) === 1);
      const relation = page.locator('details').first();
      await relation.locator('summary').click();
      const evidence = relation.locator('ol.evidence li').first();
      await evidence.waitFor({ state: 'visible' });
      t.regex((await evidence.textContent()) ?? '', /cisplatin/i);
      await shot(page, '4-entity');
      await evidence.locator('a').click();
      await page.locator('#article-title').waitFor();
    });
  });

  serial(title('relation search with a type on each side, evidence on demand'), async (t) => {
    await withPage(t, async (page) => {
      await page.goto(`${t.context.base}/#/relations`);
      await page.getByLabel('Subject: entity key, @Type or text').fill('@Chemical');
      await page.getByLabel('Relation type').fill('CID');
      await page.getByLabel('Object: entity key, @Type or text').fill('@Disease');
      await page.getByRole('button', { name: 'Find relations' }).click();
      await page.locator('#relation-count').waitFor();
      t.regex((await page.locator('#relation-count').textContent()) ?? '', /^[1-9]\d* relations?$/);
      const first = page.locator('details').first();
      t.is(await first.locator('summary .mention').first().getAttribute('class'), 'mention t-Chemical');
      t.is(await first.locator('summary .mention').nth(1).getAttribute('class'), 'mention t-Disease');
      await first.locator('summary').click();
      await first.locator('ol.evidence li').first().waitFor({ state: 'visible' });
      await shot(page, '5-relations');
    });
  });

  serial(title('hostile titles, abstracts, journals and mention types show as text and never execute'), async (t) => {
    await withPage(t, async (page) => {
      await page.goto(`${t.context.base}/#/search?q=hostile`);
      await page.locator('#result-count').waitFor();
      const hitTitle = page.locator('ol.hits li a.hit-title').first();
      t.is(await hitTitle.textContent(), HOSTILE_TITLE);
      await hitTitle.click();
      await page.locator('#article-title').waitFor();
      t.is(await page.locator('#article-title').textContent(), HOSTILE_TITLE);
      t.is(await page.locator('[data-passage="abstract.0"]').textContent(), HOSTILE_ABSTRACT);
      // Hover and click everything an attacker could have attached a handler to.
      for (const el of await page.locator('main *').all()) await el.dispatchEvent('mouseover');
      // A string: it runs in the page, whose DOM types the Node typecheck does not know.
      const state = await page.evaluate(`({
        pwned: window.__pwned,
        scripts: [...document.scripts].map((s) => s.getAttribute('src')),
        injected: document.querySelectorAll('main img, main svg, main b, main script, main iframe').length,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
        javascriptLinks: [...document.querySelectorAll('a')].filter((a) => a.href.startsWith('javascript:')).length,
      })`);
      t.deepEqual(state, { pwned: undefined, scripts: ['app.js'], injected: 0, handlers: 0, javascriptLinks: 0 });
      // The mention with a hostile type is coloured as "other", its type only in the hover text.
      const odd = page.locator('[data-passage="abstract.0"] .mention.t-other');
      t.is(await odd.count(), 1);
      t.regex((await odd.getAttribute('title')) ?? '', /^"><img src=x onerror=alert\(1\)>/);
      await shot(page, '6-hostile');
    });
  });

  serial(title('with an API key the page loads, asks for the key, then searches with it'), async (t) => {
    const failed = await withPage(
      t,
      async (page) => {
        await page.goto(`${t.context.base}/#/search?q=cisplatin`);
        const key = page.getByLabel('This server needs an API key');
        await key.waitFor();
        await shot(page, '7-key-form');
        await key.fill(API_KEY);
        await page.getByRole('button', { name: 'Use key' }).click();
        await page.locator('#result-count').waitFor();
        t.regex((await page.locator('#result-count').textContent()) ?? '', /of [1-9]\d* articles/);
      },
      { withoutKey: true, expected: /status of 401/ },
    );
    // Only the API refused the page before it had the key; every file of the page itself loaded.
    t.true(failed.length > 0 && failed.every((f) => /^401 \/api\//.test(f)), failed.join(', '));
  });

  serial(title('a hand-typed malformed address (#/entity/%) says the view failed instead of staying at Loading…'), async (t) => {
    await withPage(
      t,
      async (page) => {
        await page.goto(`${t.context.base}/#/entity/%`);
        await page.locator('#view-failed').waitFor();
        t.regex((await page.locator('#status').textContent()) ?? '', /LITMINE_HTTP_BAD_REQUEST/);
        t.false(((await page.locator('main').textContent()) ?? '').includes('Loading'));
      },
      { expected: /status of 400/ },
    );
  });
}
