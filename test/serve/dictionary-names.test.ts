/**
 * The server with a normalization dictionary: autocomplete finds stored entities by a name or
 * synonym of their concept ("cis-plat" → cis-Platinum → Chemical:MESH:D002945) with the preferred
 * name, the entity page and the export carry preferred names, and concepts the store lacks are not
 * suggested. The dictionary is a small MeSH-format table written by the test.
 */
import test from 'ava';
import { buildApp } from '../../src/serve/build-app.js';
import { DictionaryNames } from '../../src/serve/dictionary-names.js';
import { Dictionary } from '../../src/vocab/dictionary.js';
import { normalizedStore } from './normalized-store.js';

async function setup() {
  const { store, dictionaryFile } = await normalizedStore();
  const dictionary = Dictionary.open(dictionaryFile);
  const app = await buildApp({ store, names: new DictionaryNames(dictionary) });
  const bare = await buildApp({ store });
  return {
    app,
    bare,
    close: async () => {
      await app.close();
      await bare.close();
      await store.close();
      dictionary.close();
    },
  };
}

test('autocomplete by a synonym finds the stored MeSH entity with its preferred name', async (t) => {
  const { app, bare, close } = await setup();
  const s = (await app.inject('/api/entities?prefix=cis-plat')).json().suggestions;
  t.deepEqual(s, [
    {
      key: 'Chemical:MESH:D002945',
      type: 'Chemical',
      text: 'Cisplatin',
      documents: 3,
      mentions: 3,
      name: 'Cisplatin',
      matched: 'cis-Platinum',
    },
  ]);
  t.deepEqual((await bare.inject('/api/entities?prefix=cis-plat')).json().suggestions, [], 'without a dictionary: mention texts only');
  const acute = (await app.inject('/api/entities?prefix=acute%20kid&type=Disease')).json().suggestions;
  t.deepEqual(
    acute.map((x: { key: string; name: string }) => [x.key, x.name]),
    [['Disease:MESH:D058186', 'Acute Kidney Injury']],
  );
  t.deepEqual((await app.inject('/api/entities?prefix=acute&type=Chemical')).json().suggestions, [], 'the type filter holds');
  const byText = (await app.inject('/api/entities?prefix=cispl')).json().suggestions;
  t.is(byText.length, 1, 'a mention-text match and a name match of one entity are one suggestion');
  t.is(byText[0].name, 'Cisplatin');
  await close();
});

test('the entity page and the export name the concept', async (t) => {
  const { app, close } = await setup();
  const e = (await app.inject('/api/entities/Chemical%3AMESH%3AD002945')).json();
  t.is(e.entity.name, 'Cisplatin');
  t.is(e.entity.documents, 3);
  const pt = (await app.inject('/api/export?format=biocjson&ids=pmid:9001')).body;
  const annotations = JSON.parse(pt).documents[0].passages.flatMap((p: { annotations: unknown[] }) => p.annotations);
  t.true(
    annotations.some((a: { infons: Record<string, string> }) => a.infons.identifier === 'MESH:D002945' && a.infons.name === 'Cisplatin'),
  );
  await close();
});
