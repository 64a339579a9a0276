/**
 * The Annotator seam between the annotate stage and the models: sentences in, typed mentions and
 * relations out, with character offsets into each sentence. The stage batches sentences across
 * records and turns results into Annotation records with deterministic ids.
 *
 *   const [r] = await annotator.annotate([{ text: 'Cisplatin induced nephrotoxicity in rats.' }]);
 *   // r.mentions[0] → { start: 0, end: 9, type: 'Chemical', score: 0.98 }
 */
import type { Normalizer } from '../norm/normalizer.js';

export interface SentenceInput {
  text: string;
}

export interface SentenceMention {
  /** [start, end) in UTF-16 code units of the sentence text. */
  start: number;
  end: number;
  type: string;
  score: number;
}

export interface SentenceRelation {
  /** Indices into this sentence's mentions. */
  subject: number;
  object: number;
  type: string;
  score: number;
}

export interface SentenceAnnotation {
  mentions: SentenceMention[];
  relations: SentenceRelation[];
}

export interface Annotator {
  readonly models: { ner: { name: string; version: string }; re?: { name: string; version: string } };
  /**
   * Abbreviations and identifiers for each document's mentions, when a dictionary is present
   * (src/norm/); the annotate stage applies it after NER, across a document's sentences.
   */
  readonly normalizer?: Normalizer;
  /** One result per input, in order. */
  annotate(sentences: SentenceInput[]): Promise<SentenceAnnotation[]>;
  close(): Promise<void>;
}
