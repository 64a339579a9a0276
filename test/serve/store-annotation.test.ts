/**
 * The store's annotations rebuilt for the export writers: a normalized key's identifier becomes the
 * mention's identifier (with the dictionary's preferred name when given), a text key none.
 */
import test from 'ava';
import { pubtatorDocument } from '../../src/interchange/annotated-document.js';
import { keyIdentifier, storeAnnotation } from '../../src/serve/store-annotation.js';
import type { ArticleAnnotations } from '../../src/store/entity-reads.js';

test('keyIdentifier: Type:ID keys give the ID, Type:text keys nothing, even when the text has a colon', (t) => {
  t.is(keyIdentifier('Chemical:MESH:D002945', 'Chemical', 'cisplatin'), 'MESH:D002945');
  t.is(keyIdentifier('Gene:NCBIGene:7157', 'Gene', 'p53'), 'NCBIGene:7157');
  t.is(keyIdentifier('Chemical:cisplatin', 'Chemical', 'Cisplatin'), undefined);
  t.is(keyIdentifier('Chemical:ca: 2+', 'Chemical', 'Ca:  2+'), undefined);
});

test('storeAnnotation: mentions keep offsets, relations point at their mentions, identifiers carry names', (t) => {
  const stored: ArticleAnnotations = {
    sentences: [{ id: 's1', passageId: 'title', start: 0, end: 40, text: 'Cisplatin nephrotoxicity in rats.' }],
    mentions: [
      {
        id: 'm1',
        passageId: 'title',
        sentenceId: 's1',
        start: 0,
        end: 9,
        text: 'Cisplatin',
        type: 'Chemical',
        key: 'Chemical:MESH:D002945',
        score: 0.9,
      },
      {
        id: 'm2',
        passageId: 'title',
        sentenceId: 's1',
        start: 10,
        end: 24,
        text: 'nephrotoxicity',
        type: 'Disease',
        key: 'Disease:nephrotoxicity',
        score: 0.8,
      },
    ],
    relations: [
      {
        id: 'r1',
        type: 'CID',
        sentenceId: 's1',
        score: 0.7,
        subject: { mentionId: 'm1', key: 'Chemical:MESH:D002945', type: 'Chemical', text: 'Cisplatin' },
        object: { mentionId: 'm2', key: 'Disease:nephrotoxicity', type: 'Disease', text: 'nephrotoxicity' },
      },
    ],
  };
  const parts = storeAnnotation(stored, (key) => (key === 'Chemical:MESH:D002945' ? 'Cisplatin (MeSH)' : undefined))!;
  t.deepEqual(parts.mentions[0]!.ids, [{ id: 'MESH:D002945', name: 'Cisplatin (MeSH)' }]);
  t.is(parts.mentions[1]!.ids, undefined);
  t.deepEqual(parts.relations, [{ type: 'CID', score: 0.7, subjectId: 'm1', objectId: 'm2' }]);
  t.is(storeAnnotation({ sentences: [], mentions: [], relations: [] }), undefined);
  const article = { id: 'pmid:1', pmid: '1', passages: [{ id: 'title', kind: 'title', text: 'Cisplatin nephrotoxicity in rats.' }] };
  // biome-ignore lint/suspicious/noExplicitAny: only the fields the writer reads
  const pt = pubtatorDocument(article as any, parts);
  t.deepEqual(pt.annotations[0], { start: 0, end: 9, text: 'Cisplatin', type: 'Chemical', ids: ['MESH:D002945'] });
});
