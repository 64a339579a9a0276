/**
 * Scores a mention's candidates: a logistic model over how each candidate matched (sieve stage, name
 * kind, coverage), what it is (MeSH descriptor, supplementary concept, OMIM, MONDO), its prior and
 * the mention's ambiguity. The weights are fitted on the gold identifiers of the BC5CDR training
 * documents (train-ranker.ts) and stored in models/norm/ranker.json; hand-set defaults otherwise.
 *
 *   const ranked = rank(ranker, 'cisplatin', candidates);  // best first, score in (0, 1)
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Candidate } from './candidates.js';

export const FEATURES = [
  'bias',
  'stage.exact',
  'stage.bag',
  'stage.variant',
  'stage.partial',
  'kind.synonym',
  'kind.mapped',
  'kind.bag',
  'coverage',
  'id.meshDescriptor',
  'id.meshSupplementary',
  'id.omim',
  'id.mondo',
  'prior',
  'ambiguity',
  'sameText',
] as const;

export interface RankerWeights {
  features: readonly string[];
  weights: number[];
  trainedOn?: string;
}

export const DEFAULT_WEIGHTS: RankerWeights = {
  features: FEATURES,
  weights: [0, 3, 2, 1.5, 0, -0.5, -0.5, -0.3, 2, 1, 0.3, -0.5, -1, 1, -0.5, 0.5],
};

export function features(text: string, c: Candidate, count: number): number[] {
  const id = c.concept.id;
  return [
    1,
    c.stage === 0 ? 1 : 0,
    c.stage === 1 ? 1 : 0,
    c.stage === 2 ? 1 : 0,
    c.stage === 3 ? 1 : 0,
    c.kind & 1 ? 1 : 0,
    c.kind & 2 ? 1 : 0,
    c.kind & 4 ? 1 : 0,
    c.coverage,
    id.startsWith('MESH:D') ? 1 : 0,
    id.startsWith('MESH:C') ? 1 : 0,
    id.startsWith('OMIM:') ? 1 : 0,
    id.startsWith('MONDO:') ? 1 : 0,
    c.concept.prior,
    Math.log(count),
    c.concept.name.toLowerCase() === text.toLowerCase() ? 1 : 0,
  ];
}

export function loadRanker(path: string): RankerWeights {
  if (!existsSync(path)) return DEFAULT_WEIGHTS;
  const w = JSON.parse(readFileSync(path, 'utf8')) as RankerWeights;
  if (w.features.join() !== FEATURES.join())
    throw new Error(`${path}: ranker features differ from this version's (${FEATURES.join(', ')})`);
  return w;
}

export interface Ranked {
  candidate: Candidate;
  score: number;
}

export function rank(ranker: RankerWeights, text: string, cands: Candidate[]): Ranked[] {
  return cands
    .map((candidate) => {
      const x = features(text, candidate, cands.length);
      let z = 0;
      for (let i = 0; i < x.length; i++) z += x[i]! * (ranker.weights[i] ?? 0);
      return { candidate, score: 1 / (1 + Math.exp(-z)) };
    })
    .sort((a, b) => b.score - a.score || a.candidate.concept.id.localeCompare(b.candidate.concept.id));
}
