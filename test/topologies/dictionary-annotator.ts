/**
 * A test Annotator: finds words from a small dictionary and relates every Chemical–Disease pair in a
 * sentence. It exercises the topologies' plumbing without model weights; the real model is tested
 * in test/nlp/ and end to end in test/pipeline/. Throws for a sentence containing "POISON".
 */
import type { Annotator, SentenceAnnotation, SentenceInput } from '../../src/nlp/annotator.js';
import { LitmineError } from '../../src/errors.js';

const DICTIONARY: Record<string, string> = {
  cisplatin: 'Chemical',
  aspirin: 'Chemical',
  nephrotoxicity: 'Disease',
  asthma: 'Disease',
  p53: 'Gene',
};

export class DictionaryAnnotator implements Annotator {
  readonly models = { ner: { name: 'dictionary-ner', version: '1' }, re: { name: 'dictionary-re', version: '1' } };
  calls = 0;

  async annotate(sentences: SentenceInput[]): Promise<SentenceAnnotation[]> {
    this.calls++;
    return sentences.map(({ text }) => {
      if (text.includes('POISON')) throw new LitmineError('LITMINE_ANNOTATE', 'poisoned sentence');
      const mentions = [...text.matchAll(/[A-Za-z0-9]+/g)]
        .filter((m) => DICTIONARY[m[0].toLowerCase()])
        .map((m) => ({ start: m.index!, end: m.index! + m[0].length, type: DICTIONARY[m[0].toLowerCase()]!, score: 0.9 }));
      const relations = [];
      for (let i = 0; i < mentions.length; i++) {
        for (let j = 0; j < mentions.length; j++) {
          if (mentions[i]!.type === 'Chemical' && mentions[j]!.type === 'Disease')
            relations.push({ subject: i, object: j, type: 'CID', score: 0.8 });
        }
      }
      return { mentions, relations };
    });
  }

  async close(): Promise<void> {}
}
