/**
 * A test Annotator for the server's suites: tags words from a small self-written vocabulary (no
 * model weights, fast and deterministic) and relates Chemical–Disease (CID), Gene–Disease
 * (association) and Chemical–Gene (CPR:4) pairs within a sentence. Real XML goes in; mentions and
 * relations of realistic shape come out.
 */
import type { Annotator, SentenceAnnotation, SentenceInput } from '../../src/nlp/annotator.js';

const VOCABULARY: Record<string, string> = {};
const add = (type: string, words: string) => {
  for (const w of words.split(',')) VOCABULARY[w.trim()] = type;
};
add(
  'Chemical',
  'cisplatin,aspirin,calcium,glucose,insulin,estrogen,dopamine,ethanol,oxygen,cholesterol,morphine,nicotine,placebo,acid,sodium,iron,zinc,hormone',
);
add(
  'Disease',
  'cancer,tumor,tumour,tumors,diabetes,depression,ascites,asthma,hypertension,infection,obesity,pain,stroke,fibrosis,leukemia,anemia,disease,mutations',
);
add('Gene', 'p53,brca1,egfr,tnf,dna,protein,proteins,receptor,promoter,kinase');
add('Species', 'human,humans,mice,mouse,rats,rat,women,children');

const RELATES: Record<string, string> = { 'Chemical>Disease': 'CID', 'Gene>Disease': 'association', 'Chemical>Gene': 'CPR:4' };

export class WordListAnnotator implements Annotator {
  readonly models = { ner: { name: 'word-list-ner', version: '1' }, re: { name: 'word-list-re', version: '1' } };

  async annotate(sentences: SentenceInput[]): Promise<SentenceAnnotation[]> {
    return sentences.map(({ text }) => {
      const mentions = [...text.matchAll(/[\p{L}\p{N}]+/gu)]
        .filter((m) => VOCABULARY[m[0].toLowerCase()])
        .map((m) => ({
          start: m.index,
          end: m.index + m[0].length,
          type: VOCABULARY[m[0].toLowerCase()]!,
          // A score that differs between words, so pages and tests see more than one value.
          score: 0.5 + (m[0].length % 5) / 10,
        }));
      const relations = [];
      for (let i = 0; i < mentions.length; i++) {
        for (let j = 0; j < mentions.length; j++) {
          const type = RELATES[`${mentions[i]!.type}>${mentions[j]!.type}`];
          if (type) relations.push({ subject: i, object: j, type, score: 0.6 + ((i + j) % 4) / 10 });
        }
      }
      return { mentions, relations };
    });
  }

  async close(): Promise<void> {}
}
