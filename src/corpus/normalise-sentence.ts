/**
 * The key under which two sentences count as the same for corpus deduplication and evaluation-text
 * exclusion: lower-cased, every character that is not a letter or digit removed, so a tokenised
 * CoNLL sentence ("IL - 2 levels .") matches its raw form ("IL-2 levels."). models/train/mlm_sources.py
 * `normalise` computes the same key.
 *
 *   normaliseSentence('BRCA1 is  mutated.') === normaliseSentence('brca1 is mutated') // true
 */
export function normaliseSentence(sentence: string): string {
  return sentence.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
