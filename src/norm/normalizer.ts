/**
 * Document-level normalization: abbreviations first (a short form defined as "long form (SF)" takes
 * the long form's type and identifiers everywhere in the document, and its occurrences NER missed
 * become mentions), then candidates and ranking for every mention. Results are cached by type and
 * text, since a corpus names the same things over and over.
 *
 *   const n = new Normalizer(dict, ranker);
 *   const out = n.normalize([{ id: 'abstract', text }], mentions);  // mentions with ids, plus added ones
 */
import { escapeRegExp } from './escape-regexp.js';
import { createHash } from 'node:crypto';
import type { Dictionary } from '../vocab/dictionary.js';
import { typeBit } from '../vocab/vocab-concept.js';
import { type Abbreviation, findAbbreviations } from './abbreviations.js';
import { STAGE, sieve } from './candidates.js';
import { type RankerWeights, rank } from './ranker.js';

export interface EntityId {
  id: string;
  name: string;
  score: number;
}

export interface NormInput {
  passageId: string;
  start: number;
  end: number;
  text: string;
  type: string;
}

export interface NormOutput extends NormInput {
  ids: EntityId[];
  /** True for a short-form occurrence NER missed, added from its long form. */
  added?: boolean;
  /** For an added mention: the index of its long form's mention, when the long form is one. */
  longForm?: number;
  /** Set when the type came from an abbreviation's long form. */
  fromAbbreviation?: boolean;
}

/** Candidates kept per mention (best first). */
const KEPT = 3;

export class Normalizer {
  private readonly cache = new Map<string, EntityId[]>();
  /** Name and version for Annotation.models.norm: the dictionary's sources, hashed. */
  readonly ref: { name: string; version: string };

  constructor(
    readonly dict: Dictionary,
    readonly ranker: RankerWeights,
  ) {
    const hash = createHash('sha256');
    for (const s of dict.sources()) hash.update(`${s.reader}\u0000${s.sha256}\u0000`);
    hash.update(JSON.stringify(ranker.weights));
    this.ref = { name: 'dictionary', version: hash.digest('hex').slice(0, 12) };
  }

  /** Identifiers for one mention text of one type, best first (none when the type has no vocabulary). */
  resolve(text: string, type: string): EntityId[] {
    const bit = typeBit(type);
    if (bit === 0) return [];
    const cacheKey = `${type}\u0000${text}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const found = sieve(this.dict, text, bit);
    // Lexicon candidates are ranked by their votes; dictionary candidates by the ranker.
    const ranked =
      found[0]?.stage === STAGE.lexicon
        ? found.map((candidate) => ({ candidate, score: candidate.coverage })).sort((a, b) => b.score - a.score)
        : rank(this.ranker, text, found);
    const ids = ranked.slice(0, KEPT).map((r) => ({ id: r.candidate.concept.id, name: r.candidate.concept.name, score: round(r.score) }));
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(cacheKey, ids);
    return ids;
  }

  normalize(passages: { id: string; text: string }[], mentions: NormInput[], options: { addMissed?: boolean } = {}): NormOutput[] {
    const out: NormOutput[] = mentions.map((m) => ({ ...m, ids: this.resolve(m.text, m.type) }));
    const defs = new Map<string, { type: string; ids: EntityId[]; longForm?: number }>();
    for (const p of passages)
      for (const a of findAbbreviations(p.text)) {
        if (defs.has(a.short) || isCombination(out, p, a)) continue;
        const long = longFormMention(out, p.id, a);
        if (long && long.ids.length > 0) defs.set(a.short, { type: long.type, ids: long.ids, longForm: out.indexOf(long) });
        else {
          // The long form is not a mention: resolve it with the type NER gave the short form here, then
          // with the other types NER gave it in the document ("TTP" is also a gene symbol).
          const sf = out.find((m) => m.passageId === p.id && m.start === a.shortStart && m.end === a.shortEnd);
          if (!sf) continue;
          const types = new Set([sf.type, ...out.filter((m) => m.text === a.short).map((m) => m.type)]);
          for (const type of types) {
            const ids = this.resolve(a.long, type);
            if (ids.length === 0) continue;
            defs.set(a.short, { type, ids });
            break;
          }
        }
      }
    if (defs.size === 0) return out;
    for (const m of out) {
      const d = defs.get(m.text);
      if (!d) continue;
      m.ids = d.ids;
      if (m.type !== d.type) m.type = d.type;
      m.fromAbbreviation = true;
    }
    if (options.addMissed === false) return out;
    for (const p of passages)
      for (const [short, d] of defs) {
        const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(short)}(?![\\p{L}\\p{N}])`, 'gu');
        for (const m of p.text.matchAll(re)) {
          const start = m.index ?? 0;
          const end = start + short.length;
          if (out.some((o) => o.passageId === p.id && o.start < end && start < o.end)) continue;
          // Only where the long form is itself a mention, and never a lone letter (too often something else).
          if (d.longForm === undefined || short.length < 2) continue;
          out.push({
            passageId: p.id,
            start,
            end,
            text: short,
            type: d.type,
            ids: d.ids,
            added: true,
            fromAbbreviation: true,
            longForm: d.longForm,
          });
        }
      }
    return out;
  }
}

/** What joins the parts of a combination: "docetaxel plus cisplatin", "alcohol/nicotine", "A and B". */
const JOINER = /^\s*(?:plus|and|or|with|versus|vs\.?|combined with|in combination with|together with|\+|\/|,)\s*$/i;

/**
 * "docetaxel plus cisplatin (DC)": a long form in which two mentions of one type are joined by "plus",
 * "and", "/" and the like names a combination, and its short form is a name of neither.
 */
function isCombination(mentions: NormOutput[], passage: { id: string; text: string }, a: Abbreviation): boolean {
  const inside = mentions
    .filter((m) => m.passageId === passage.id && m.start >= a.longStart && m.end <= a.longEnd)
    .sort((x, y) => x.start - y.start);
  return inside.some((m, i) => {
    const next = inside.slice(i + 1).find((o) => o.type === m.type && o.start >= m.end);
    return next !== undefined && JOINER.test(passage.text.slice(m.end, next.start));
  });
}

/** The mention that is the long form: same passage, ending where the long form ends, inside it. */
function longFormMention(mentions: NormOutput[], passageId: string, a: Abbreviation): NormOutput | undefined {
  return mentions.find((m) => m.passageId === passageId && m.end === a.longEnd && m.start >= a.longStart);
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
