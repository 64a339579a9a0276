/**
 * Fits the ranker's logistic weights on a PubTator corpus with gold identifiers (the BC5CDR training
 * documents): every gold mention's dictionary candidates, labelled right or wrong, a linear scorer
 * fitted with a listwise softmax loss (L2-regularised, full-batch gradient descent); the score
 * served is the logistic of the same linear function. The corpus lexicon is not consulted, so the
 * weights learn how dictionary matches go wrong, not the corpus by heart.
 *
 *   const weights = trainRanker(readPubtatorDocuments(text), dict);  // → models/norm/ranker.json
 */
import type { PubtatorDoc } from '../interchange/pubtator.js';
import type { Dictionary } from '../vocab/dictionary.js';
import { typeBit } from '../vocab/vocab-concept.js';
import { candidates } from './candidates.js';
import { bareId } from './norm-evaluation.js';
import { FEATURES, type RankerWeights, features } from './ranker.js';

export interface TrainSummary {
  weights: RankerWeights;
  mentions: number;
  rows: number;
  /** Top-1 accuracy on the training mentions that have the gold among their candidates, before and after. */
  before: number;
  after: number;
}

export function trainRanker(
  docs: PubtatorDoc[],
  dict: Dictionary,
  options: { epochs?: number; l2?: number; initial: RankerWeights },
): TrainSummary {
  const groups: { x: number[][]; y: number[] }[] = [];
  let mentions = 0;
  const cache = new Map<string, ReturnType<typeof candidates>>();
  for (const d of docs)
    for (const a of d.annotations) {
      if (a.ids.length !== 1) continue;
      const bit = typeBit(a.type);
      if (!bit) continue;
      mentions++;
      const key = `${bit}\u0000${a.text}`;
      let cands = cache.get(key);
      if (!cands) cache.set(key, (cands = candidates(dict, a.text, bit)));
      if (cands.length === 0) continue;
      const gold = bareId(a.ids[0]!);
      const y = cands.map((c) => (bareId(c.concept.id) === gold ? 1 : 0));
      if (!y.includes(1)) continue;
      groups.push({ x: cands.map((c) => features(a.text, c, cands.length)), y });
    }
  const w = [...options.initial.weights];
  const accuracy = () => {
    let right = 0;
    for (const g of groups) {
      let best = -1;
      let bestZ = Number.NEGATIVE_INFINITY;
      g.x.forEach((x, i) => {
        const z = x.reduce((s, v, k) => s + v * w[k]!, 0);
        if (z > bestZ) [bestZ, best] = [z, i];
      });
      if (g.y[best] === 1) right++;
    }
    return (100 * right) / Math.max(1, groups.length);
  };
  const before = accuracy();
  const rows = groups.reduce((n, g) => n + g.y.length, 0);
  const epochs = options.epochs ?? 300;
  const l2 = options.l2 ?? 1e-3;
  for (let e = 0; e < epochs; e++) {
    // Listwise (softmax over a mention's candidates): the loss is about which candidate comes first,
    // which is what the ranker is used for.
    const grad = new Array<number>(w.length).fill(0);
    for (const g of groups) {
      const z = g.x.map((x) => x.reduce((s, v, k) => s + v * w[k]!, 0));
      const top = Math.max(...z);
      const ez = z.map((v) => Math.exp(v - top));
      const sum = ez.reduce((a, b) => a + b, 0);
      const right = g.y.reduce((a, b) => a + b, 0);
      g.x.forEach((x, i) => {
        const err = ez[i]! / sum - g.y[i]! / right;
        for (let k = 0; k < w.length; k++) grad[k]! += err * x[k]!;
      });
    }
    const rate = 1 / Math.sqrt(e + 1);
    for (let k = 0; k < w.length; k++) w[k]! -= rate * (grad[k]! / groups.length + l2 * w[k]!);
  }
  return {
    weights: { features: FEATURES, weights: w.map((v) => Math.round(v * 1e4) / 1e4) },
    mentions,
    rows,
    before,
    after: accuracy(),
  };
}
