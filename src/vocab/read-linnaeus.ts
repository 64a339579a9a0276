/**
 * The LINNAEUS species dictionary (staged in ../shared/data/vocab/species): `species:ncbi:<taxid>  name|name|…`,
 * its stop list (`species:ncbi:<taxid>  regex`: names that are almost never the organism, "Permits?"),
 * its acronym synonyms (`species:ncbi:<taxid>  ACRONYM  probability`) and its prior mention
 * frequencies (`species:ncbi:<taxid>  count`). The frequencies are read first by the builder's
 * reader order and kept as priors.
 *
 *   for await (const c of linnaeusDictionary.read('dict-species.tsv.gz', {})) // { id: 'NCBITaxon:9606', … }
 */
import { readLines, splitList } from './read-lines.js';
import { TYPE, type VocabReader } from './vocab-concept.js';

/**
 * Words for people that the LINNAEUS corpus tags as Homo sapiens (its guideline; in its training split
 * "patients" 246 of 246 times, "people" 78/78, "participants" 38/38, "women" 33/34) but its dictionary does
 * not list, so the mentions the NER model finds for them get NCBITaxon:9606 like the corpus'. Not
 * "subjects", "individuals" or "adults", which the corpus leaves untagged ("child" still resolves,
 * as a variant of "children").
 */
export const HUMAN_TERMS = [
  'patient',
  'patients',
  'people',
  'person',
  'persons',
  'participants',
  'children',
  'woman',
  'women',
  'men',
  'infant',
  'infants',
  'girls',
  'boys',
];

const taxon = (field: string | undefined) => field?.trim().match(/^species:ncbi:(\d+)$/)?.[1];

/** Log-scaled frequencies read by linnaeusFrequency, shared with the dictionary reader (same build). */
const frequency = new Map<string, number>();

export const linnaeusFrequency: VocabReader = {
  name: 'linnaeus-frequency',
  accepts: (base, head) => /frequency/i.test(base) && /^species:ncbi:\d+\t\d+\s*$/m.test(head),
  async *read(path, context) {
    let max = 1;
    const raw: [string, number][] = [];
    for await (const line of readLines(path, context)) {
      const [id, n] = line.split('\t');
      const t = taxon(id);
      if (t && n) raw.push([t, Number(n)]);
      max = Math.max(max, Number(n) || 0);
    }
    for (const [t, n] of raw) frequency.set(t, Math.log1p(n) / Math.log1p(max));
    // The frequencies are priors of the dictionary's concepts, not concepts of their own.
    yield* [];
  },
};

export const linnaeusDictionary: VocabReader = {
  name: 'linnaeus-species',
  accepts: (base, head) => /species/i.test(base) && /^species:ncbi:\d+\t[^\t]*\|/m.test(head),
  async *read(path, context) {
    let rows = 0;
    for await (const line of readLines(path, context)) {
      const [id, names] = line.split('\t');
      const t = taxon(id);
      const variants = splitList(names, '|');
      if (!t || variants.length === 0) continue;
      // LINNAEUS lists no preferred name: take the longest variant without an abbreviated genus.
      const full = variants.filter((v) => !/^\p{L}{1,2}\.\s?/u.test(v));
      const name = (full.length > 0 ? full : variants).reduce((a, b) => (b.length > a.length || (b.length === a.length && b < a) ? b : a));
      const synonyms = variants.filter((v) => v !== name);
      if (t === '9606') synonyms.push(...HUMAN_TERMS.filter((w) => !variants.includes(w)));
      yield { id: `NCBITaxon:${t}`, types: TYPE.Species, name, synonyms, prior: frequency.get(t) ?? 0 };
      if (++rows % 10000 === 0) context.onProgress?.(10000);
    }
    context.onProgress?.(rows % 10000);
  },
};

export const linnaeusAcronyms: VocabReader = {
  name: 'linnaeus-acronyms',
  accepts: (base, head) => /acronym/i.test(base) && /^species:ncbi:\d+\t[^\t|]+\t[\d.]+\s*$/m.test(head),
  async *read(path, context) {
    for await (const line of readLines(path, context)) {
      const [id, acronym, p] = line.split('\t');
      const t = taxon(id);
      // Acronyms LINNAEUS itself trusts less than half the time are left out.
      if (t && acronym && Number(p) >= 0.5) yield { id: `NCBITaxon:${t}`, types: TYPE.Species, name: '', synonyms: [acronym.trim()] };
    }
  },
};

export const linnaeusStoplist: VocabReader = {
  name: 'linnaeus-stoplist',
  accepts: (base, head) => /stop/i.test(base) && /^#?id\tregular expression/m.test(head),
  async *read(path, context) {
    for await (const line of readLines(path, context)) {
      if (line.startsWith('#')) continue;
      const [id, pattern] = line.split('\t');
      const t = taxon(id);
      if (t && pattern) yield { id: `NCBITaxon:${t}`, pattern: pattern.trim() };
    }
  },
};
