/**
 * A corpus lexicon for the dictionary: the (mention text, type, identifier) triples of a PubTator file
 * with gold identifiers, such as the BC5CDR training set, counted. Only files passed with
 * `litmine vocab build --lexicon FILE` are read this way, so a test set in the same folder is never
 * taken in by accident.
 *
 *   for await (const e of readPubtatorLexicon('CDR_TrainingSet.PubTator.txt')) // { text: 'Naloxone', type: 'Chemical', id: 'MESH:D009270' }
 */
import { readFileSync } from 'node:fs';
import { readPubtatorDocuments } from '../interchange/pubtator.js';

export interface LexiconEntry {
  text: string;
  type: string;
  id: string;
}

/** A bare MeSH id from PubTator ("D009270", "C012345") gets its prefix; prefixed ids are kept. */
export function prefixedId(id: string): string {
  return /^[CD]\d{6,9}$/.test(id) ? `MESH:${id}` : id;
}

export function readPubtatorLexicon(path: string): LexiconEntry[] {
  const out: LexiconEntry[] = [];
  for (const d of readPubtatorDocuments(readFileSync(path, 'utf8'), path))
    for (const a of d.annotations) {
      // A composite mention ("D001|D002") names several concepts at once: no single name to learn.
      if (a.ids.length !== 1) continue;
      out.push({ text: a.text, type: a.type, id: prefixedId(a.ids[0]!) });
    }
  return out;
}
