/**
 * The Annotator over ONNX models: tokenise each sentence once, run NER over all of them (sentences
 * of many articles together) in length-bucketed batches sized by padded tokens, decode BIO to
 * character spans, then classify every compatible mention pair of every sentence with the relation
 * model (when there is one), batched the same way, and keep the non-negative labels. Mention edges
 * are repaired to whole words before pairing (mention-repair.ts) unless `repairMentions: false`. A sentence's
 * result does not depend on what else is in its batch (test/nlp/batch-independence.test.ts).
 *
 *   const a = await createOnnxAnnotator({ nerDir: 'models/ner', reDir: 'models/re', executionProvider: 'cpu', intraOpThreads: 2, batchSize: 64 });
 *   const [r] = await a.annotate([{ text: 'Cisplatin induced nephrotoxicity.' }]);
 */
import type { Normalizer } from '../norm/normalizer.js';
import type { Annotator, SentenceAnnotation, SentenceInput } from './annotator.js';
import { decodeBio } from './decode-bio.js';
import { repairMentions } from './mention-repair.js';
import { RelationClassifier } from './relation-classifier.js';
import { enumeratePairs, maskPair } from './relation-pairs.js';
import { TokenClassifier } from './token-classifier.js';

export interface OnnxAnnotatorOptions {
  nerDir: string;
  reDir: string | null;
  executionProvider: 'cpu' | 'cuda';
  intraOpThreads: number;
  /** Most sequences per model call. */
  batchSize: number;
  /** Most padded tokens per model call (default DEFAULT_TOKEN_BUDGET, run-batches.ts). */
  tokenBudget?: number;
  /** Sessions per model run concurrently, each with intraOpThreads threads (default 1). */
  sessions?: number;
  onWarning?: (message: string) => void;
  /** Document-level abbreviations and identifiers, applied by the annotate stage (src/norm/). */
  normalizer?: Normalizer;
  /** Whole-word mention edges (default true); false gives the model's word-level spans as decoded. */
  repairMentions?: boolean;
}

export class OnnxAnnotator implements Annotator {
  readonly models: Annotator['models'];

  constructor(
    readonly ner: TokenClassifier,
    readonly re: RelationClassifier | null,
    readonly normalizer?: Normalizer,
    readonly repair = true,
  ) {
    this.models = re ? { ner: ner.folder.ref, re: re.folder.ref } : { ner: ner.folder.ref };
  }

  async annotate(sentences: SentenceInput[]): Promise<SentenceAnnotation[]> {
    const tokenizer = this.ner.folder.tokenizer;
    const encodings = sentences.map((s) => tokenizer.encode(s.text, { addSpecialTokens: false }));
    const logits = await this.ner.logits(encodings.map((e) => e.ids));
    const results: SentenceAnnotation[] = encodings.map((enc, i) => {
      const decoded = decodeBio(enc, logits[i]!, this.ner.folder.labels);
      return { mentions: this.repair ? repairMentions(sentences[i]!.text, decoded) : decoded, relations: [] };
    });
    if (!this.re) return results;

    const { pairLabels = {}, entityMasks = {} } = this.re.folder;
    const jobs: { sentence: number; subject: number; object: number; text: string; key: string }[] = [];
    results.forEach((r, i) => {
      for (const p of enumeratePairs(r.mentions, pairLabels)) {
        const text = maskPair(sentences[i]!.text, r.mentions[p.subject]!, r.mentions[p.object]!, entityMasks);
        jobs.push({ sentence: i, subject: p.subject, object: p.object, text, key: p.key });
      }
    });
    if (jobs.length === 0) return results;
    const classified = await this.re.classify(jobs);
    classified.forEach((c, k) => {
      if (c.label === this.re!.negativeLabel) return;
      const job = jobs[k]!;
      results[job.sentence]!.relations.push({ subject: job.subject, object: job.object, type: c.label, score: c.score });
    });
    return results;
  }

  async close(): Promise<void> {
    this.normalizer?.dict.close();
    await Promise.all([this.ner.close(), this.re?.close()]);
  }
}

export async function createOnnxAnnotator(options: OnnxAnnotatorOptions): Promise<OnnxAnnotator> {
  const sessionOptions = {
    executionProvider: options.executionProvider,
    intraOpThreads: options.intraOpThreads,
    batchSize: options.batchSize,
    tokenBudget: options.tokenBudget,
    sessions: options.sessions,
    onWarning: options.onWarning,
  };
  const ner = await TokenClassifier.create(options.nerDir, sessionOptions);
  const re = options.reDir ? await RelationClassifier.create(options.reDir, sessionOptions) : null;
  return new OnnxAnnotator(ner, re, options.normalizer, options.repairMentions ?? true);
}
