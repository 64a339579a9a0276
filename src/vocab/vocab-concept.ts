/**
 * What every vocabulary reader yields: one concept with its identifier, the entity types it can
 * normalize, a preferred name and synonyms. The dictionary builder (build-dictionary.ts) turns a
 * stream of these into lookup keys; readers know only their own file format.
 *
 *   { id: 'MESH:D002945', types: TYPE.Chemical, name: 'Cisplatin', synonyms: ['cis-Platinum', …] }
 */

/** Entity types as bits, so one concept (a MeSH descriptor in both C and D trees) can carry several. */
export const TYPE = { Disease: 1, Chemical: 2, Gene: 4, Species: 8 } as const;
export type NormType = keyof typeof TYPE;

export function typeBit(type: string): number {
  return (TYPE as Record<string, number>)[type] ?? 0;
}

export function typeNames(bits: number): NormType[] {
  return (Object.keys(TYPE) as NormType[]).filter((t) => (bits & TYPE[t]) !== 0);
}

export interface VocabConcept {
  /** Prefixed identifier: MESH:D002945, MESH:C000002, NCBIGene:7157, NCBITaxon:9606, OMIM:219700. */
  id: string;
  /** TYPE bits; 0 = let the builder decide from `mapsTo` (MeSH supplementary concepts, MONDO). */
  types: number;
  name: string;
  synonyms: string[];
  /** Identifiers this concept stands for in another vocabulary: names are added to them too. */
  mapsTo?: string[];
  /** A prior in [0, 1] (LINNAEUS mention frequency, gene locus type), used by the ranker. */
  prior?: number;
  /** MeSH tree numbers (descriptor type comes from them). */
  trees?: string[];
}

/** A regular expression for which a taxon never matches (LINNAEUS's stop list: "Permits?"). */
export interface StopEntry {
  id: string;
  pattern: string;
}

export interface ReadContext {
  /** Records read so far (in steps). */
  onProgress?: (rows: number) => void;
  /** Bytes of the file read so far (in steps), for the build's rate and ETA. */
  onBytes?: (bytes: number) => void;
}

export interface VocabReader {
  /** Short name recorded in the dictionary's sources ("mesh-descriptors-tsv", "names-dmp"). */
  readonly name: string;
  /** True when this reader reads the file, judged by its base name and its first bytes (decompressed). */
  accepts(baseName: string, head: string): boolean;
  /** The concepts of the file; `version` is known once reading has finished. */
  read(path: string, context: ReadContext): AsyncIterable<VocabConcept | StopEntry>;
  /** The vocabulary's version as the file states it (after read), or undefined. */
  version?(): string | undefined;
}

/** Disease, Chemical from MeSH tree numbers: C (and F03, mental disorders) → Disease, D → Chemical. */
export function meshTypes(trees: string[]): number {
  let bits = 0;
  for (const t of trees) {
    if (t.startsWith('C') || t.startsWith('F03')) bits |= TYPE.Disease;
    else if (t.startsWith('D')) bits |= TYPE.Chemical;
  }
  return bits;
}

export function isStopEntry(x: VocabConcept | StopEntry): x is StopEntry {
  return (x as StopEntry).pattern !== undefined;
}
