/**
 * Every vocabulary reader litmine knows, in the order a build applies them (descriptors before the
 * supplementary concepts and MONDO terms that map onto them; LINNAEUS frequencies before its
 * dictionary), and the choice of a reader for a file by its name and first bytes.
 *
 *   const reader = readerFor('/data/desc2025.xml');  // meshXml, or undefined for a README
 */
import { basename } from 'node:path';
import { geneInfo } from './read-gene-info.js';
import { hgncGenes } from './read-hgnc.js';
import { readHead } from './read-lines.js';
import { linnaeusAcronyms, linnaeusDictionary, linnaeusFrequency, linnaeusStoplist } from './read-linnaeus.js';
import { meshXml } from './read-mesh-xml.js';
import { meshDescriptorsTsv, meshSupplementaryTsv } from './read-mesh-tsv.js';
import { mondoJson } from './read-mondo-json.js';
import { namesDmp } from './read-names-dmp.js';
import type { VocabReader } from './vocab-concept.js';

export const VOCAB_READERS: VocabReader[] = [
  meshDescriptorsTsv,
  meshXml,
  meshSupplementaryTsv,
  mondoJson,
  hgncGenes,
  geneInfo,
  linnaeusFrequency,
  linnaeusDictionary,
  namesDmp,
  linnaeusAcronyms,
  linnaeusStoplist,
];

export function readerFor(path: string): VocabReader | undefined {
  const base = basename(path);
  const head = readHead(path);
  return VOCAB_READERS.find((r) => r.accepts(base, head));
}

/** Build order of a file: its reader's rank; MeSH descriptor XML before supplementary XML. */
export function buildRank(path: string, reader: VocabReader): number {
  const rank = VOCAB_READERS.indexOf(reader) * 10;
  return reader === meshXml && /supp/i.test(basename(path)) ? rank + 15 : rank;
}
