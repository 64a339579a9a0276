/**
 * Normalization scores on a PubTator corpus (BC5CDR): with the gold mention spans, the accuracy of
 * the top identifier per type; end to end (litmine's NER, then abbreviations and normalization), the
 * document-level precision/recall/F1 of (type, identifier) pairs — BioCreative V CDR's DNER
 * convention, PubTator's. Gold `-1` mentions are left out; a composite mention ("D001|D002") is right
 * when the top identifier is one of its identifiers.
 *
 *   const r = await evaluateNorm(docs, normalizer, { annotator });  // r.goldSpan.Chemical.accuracy
 */
import type { Annotator } from '../nlp/annotator.js';
import type { Scores } from '../nlp/ner-evaluation.js';
import { type PubtatorDoc, pubtatorPassages } from '../interchange/pubtator.js';
import { segmentSentences } from '../text/segment-sentences.js';
import type { NormInput, Normalizer } from './normalizer.js';

export interface TypeAccuracy {
  accuracy: number;
  correct: number;
  total: number;
}

/** Precision, recall and F1 of one type, with their counts (the NER evaluation's shape). */
export type TypePrf = Scores;

export interface NormEvaluation {
  documents: number;
  goldSpan: Record<string, TypeAccuracy>;
  endToEnd?: Record<string, TypePrf>;
  /** Gold-span mistakes (first 5000) for error analysis. */
  errors: { pmid: string; type: string; text: string; gold: string[]; predicted: string | null }[];
}

/** "D009270" and "MESH:D009270" are the same identifier. */
export function bareId(id: string): string {
  return id.replace(/^(MESH|mesh):/, '');
}

function goldInputs(d: PubtatorDoc): (NormInput & { gold: string[] })[] {
  const ps = pubtatorPassages(d);
  return d.annotations.map((a) => {
    const p = a.start >= ps[1]!.offset ? ps[1]! : ps[0]!;
    return { passageId: p.id, start: a.start - p.offset, end: a.end - p.offset, text: a.text, type: a.type, gold: a.ids.map(bareId) };
  });
}

export async function evaluateNorm(
  docs: PubtatorDoc[],
  normalizer: Normalizer,
  options: { annotator?: Annotator; types?: string[]; onProgress?: (n: number) => void } = {},
): Promise<NormEvaluation> {
  const acc = new Map<string, TypeAccuracy>();
  const errors: NormEvaluation['errors'] = [];
  for (const d of docs) {
    const gold = goldInputs(d);
    const out = normalizer.normalize(pubtatorPassages(d), gold, { addMissed: false });
    gold.forEach((g, i) => {
      if (g.gold.length === 0) return;
      const a = acc.get(g.type) ?? { accuracy: 0, correct: 0, total: 0 };
      acc.set(g.type, a);
      a.total++;
      const top = out[i]!.ids[0]?.id;
      if (top && g.gold.includes(bareId(top))) a.correct++;
      else if (errors.length < 5000) errors.push({ pmid: d.pmid, type: g.type, text: g.text, gold: g.gold, predicted: top ?? null });
    });
    if (!options.annotator) options.onProgress?.(1);
  }
  for (const a of acc.values()) a.accuracy = a.total > 0 ? round2((100 * a.correct) / a.total) : 0;
  const result: NormEvaluation = { documents: docs.length, goldSpan: Object.fromEntries([...acc].sort()), errors };
  if (options.annotator) result.endToEnd = await endToEnd(docs, normalizer, options.annotator, new Set(acc.keys()), options.onProgress);
  return result;
}

async function endToEnd(
  docs: PubtatorDoc[],
  normalizer: Normalizer,
  annotator: Annotator,
  types: Set<string>,
  onProgress?: (n: number) => void,
): Promise<Record<string, TypePrf>> {
  const counts = new Map<string, TypePrf>();
  const get = (t: string) => {
    let c = counts.get(t);
    if (!c) counts.set(t, (c = { precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  for (const d of docs) {
    const passages = pubtatorPassages(d);
    const sentences = passages.flatMap((p) =>
      segmentSentences(p.text).map((s) => ({ passageId: p.id, start: s.start, text: p.text.slice(s.start, s.end) })),
    );
    const results = await annotator.annotate(sentences.map((s) => ({ text: s.text })));
    const mentions: NormInput[] = [];
    results.forEach((r, i) => {
      const s = sentences[i]!;
      for (const m of r.mentions)
        mentions.push({
          passageId: s.passageId,
          start: s.start + m.start,
          end: s.start + m.end,
          text: s.text.slice(m.start, m.end),
          type: m.type,
        });
    });
    const predicted = new Set<string>();
    for (const m of normalizer.normalize(passages, mentions))
      if (types.has(m.type) && m.ids[0]) predicted.add(`${m.type}\t${bareId(m.ids[0].id)}`);
    const gold = new Set(d.annotations.flatMap((a) => a.ids.map((id) => `${a.type}\t${bareId(id)}`)));
    for (const p of predicted) get(p.split('\t')[0]!)[gold.has(p) ? 'tp' : 'fp']++;
    for (const g of gold) if (!predicted.has(g)) get(g.split('\t')[0]!).fn++;
    onProgress?.(1);
  }
  for (const c of counts.values()) {
    c.precision = c.tp + c.fp > 0 ? round2((100 * c.tp) / (c.tp + c.fp)) : 0;
    c.recall = c.tp + c.fn > 0 ? round2((100 * c.tp) / (c.tp + c.fn)) : 0;
    c.f1 = c.precision + c.recall > 0 ? round2((2 * c.precision * c.recall) / (c.precision + c.recall)) : 0;
  }
  return Object.fromEntries([...counts].sort());
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
