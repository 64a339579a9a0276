/**
 * NER scored the way users meet it: on raw documents (PubTator title + abstract), sentence-split and
 * annotated by the pipeline's own annotator, each mention right only when its type and exact
 * character span equal a gold mention's. The BioBERT word-level evaluation (ner-evaluation.ts)
 * cannot see mention edges inside a word such as "miR-" of "miR-1270"; this one does. It also counts
 * the predicted mentions an analyst would reject on sight: punctuation at an edge, no letter.
 *
 *   const r = await evaluateSpans(readPubtatorDocuments(text), annotator, new Set(['Gene', 'Chemical']));  // r.types.Gene.f1, r.micro.f1
 */
import { type PubtatorDoc, pubtatorPassages } from '../interchange/pubtator.js';
import { segmentSentences } from '../text/segment-sentences.js';
import type { Annotator } from './annotator.js';
import { canonicalType, prf, type Scores } from './ner-evaluation.js';

/** Corpus type names beyond ner-evaluation's aliases (BioRED's) → the model's. */
const SPAN_TYPE_ALIASES: Record<string, string> = {
  GeneOrGeneProduct: 'Gene',
  ChemicalEntity: 'Chemical',
  DiseaseOrPhenotypicFeature: 'Disease',
  OrganismTaxon: 'Species',
};

export function spanType(corpusType: string): string {
  return SPAN_TYPE_ALIASES[corpusType] ?? canonicalType(corpusType);
}

export interface SpanEvaluation {
  documents: number;
  /** Per model type the corpus annotates. */
  types: Record<string, Scores>;
  micro: Scores;
  /** Predicted mentions (of the scored types) with punctuation at an edge, or with no letter. */
  ragged: { punctuationEdge: number; noLetter: number; predicted: number };
}

const LETTER = /\p{L}/u;
const BAD_START = /^[\s\-‐‑–—/,.;:!?)\]}]/u;
const BAD_END = /[\s\-‐‑–—/,.;:!?([{]$/u;

/**
 * Whether an analyst would see a broken edge: punctuation a name does not start or end with, a
 * bracket that does not close within the mention, or a bracket group glued to the word before it.
 */
export function raggedEdge(sentence: string, start: number, end: number): boolean {
  const text = sentence.slice(start, end);
  if (BAD_START.test(text) || BAD_END.test(text)) return true;
  let depth = 0;
  for (const ch of text) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch) && --depth < 0) return true;
  }
  return depth !== 0 || (text[0] === '(' && start > 0 && /[\p{L}\p{N}]/u.test(sentence[start - 1]!));
}

export async function evaluateSpans(
  docs: readonly PubtatorDoc[],
  annotator: Annotator,
  /** The types the model predicts: only these are scored (BioRED's variants, say, are not). */
  modelTypes: ReadonlySet<string>,
  options: { onProgress?: (n: number) => void } = {},
): Promise<SpanEvaluation> {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (type: string) => {
    let c = counts.get(type);
    if (!c) counts.set(type, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  const scored = new Set(docs.flatMap((d) => d.annotations.map((a) => spanType(a.type))).filter((t) => modelTypes.has(t)));
  const ragged = { punctuationEdge: 0, noLetter: 0, predicted: 0 };
  for (const d of docs) {
    const gold = new Set(d.annotations.map((a) => `${spanType(a.type)}\t${a.start}\t${a.end}`));
    const sentences = pubtatorPassages(d).flatMap((p) =>
      segmentSentences(p.text).map((s) => ({ start: p.offset + s.start, text: p.text.slice(s.start, s.end) })),
    );
    const results = await annotator.annotate(sentences.map((s) => ({ text: s.text })));
    const predicted = new Set<string>();
    results.forEach((r, i) => {
      const s = sentences[i]!;
      for (const m of r.mentions) {
        if (!scored.has(m.type)) continue;
        predicted.add(`${m.type}\t${s.start + m.start}\t${s.start + m.end}`);
        const text = s.text.slice(m.start, m.end);
        ragged.predicted++;
        if (raggedEdge(s.text, m.start, m.end)) ragged.punctuationEdge++;
        if (!LETTER.test(text)) ragged.noLetter++;
      }
    });
    for (const p of predicted) count(p.split('\t')[0]!)[gold.has(p) ? 'tp' : 'fp']++;
    for (const g of gold) if (!predicted.has(g) && scored.has(g.split('\t')[0]!)) count(g.split('\t')[0]!).fn++;
    options.onProgress?.(1);
  }
  const types = Object.fromEntries([...counts].sort().map(([t, c]) => [t, prf(c.tp, c.fp, c.fn)]));
  const all = [...counts.values()].reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  return { documents: docs.length, types, micro: prf(all.tp, all.fp, all.fn), ragged };
}
