/**
 * NCBI Taxonomy's `names.dmp` (from taxdump): `tax_id\t|\tname_txt\t|\tunique name\t|\tname class\t|`.
 * The scientific name is the preferred name; synonyms, common names, equivalent names and acronyms
 * are synonyms; authorities, type material and "includes"/"in-part" names are not names of the taxon.
 * Rows of one taxon are contiguous in the file. Read as such or from inside `taxdump.tar.gz`.
 *
 *   for await (const c of namesDmp.read('names.dmp', {})) // { id: 'NCBITaxon:9606', name: 'Homo sapiens', synonyms: ['human', …] }
 */
import { readLines } from './read-lines.js';
import { tarMemberLines } from './tar-member-lines.js';
import { TYPE, type VocabConcept, type VocabReader } from './vocab-concept.js';

const NAME_CLASSES = new Set([
  'scientific name',
  'synonym',
  'common name',
  'genbank common name',
  'equivalent name',
  'acronym',
  'genbank acronym',
]);

export const namesDmp: VocabReader = {
  name: 'ncbi-taxonomy-names-dmp',
  accepts: (base, head) =>
    /names\.dmp/.test(base) || /^taxdump.*\.tar\.gz$/.test(base) || /^\d+\t\|\t[^\t]*\t\|\t[^\t]*\t\|\t[a-z ]+\t\|/m.test(head),
  async *read(path, context) {
    let current: VocabConcept | undefined;
    let rows = 0;
    // NCBI ships names.dmp inside taxdump.tar.gz: read it from the archive as it streams.
    const lines = /\.tar(\.gz)?$/.test(path) ? tarMemberLines(path, 'names.dmp', context) : readLines(path, context);
    for await (const line of lines) {
      const [taxId, name, , nameClass] = line.split('\t|\t').map((s) => s.replace(/\t\|$/, '').trim());
      if (!taxId || !name || !nameClass || !NAME_CLASSES.has(nameClass)) continue;
      const id = `NCBITaxon:${taxId}`;
      if (current && current.id !== id) {
        yield current;
        if (++rows % 10000 === 0) context.onProgress?.(10000);
        current = undefined;
      }
      current ??= { id, types: TYPE.Species, name: '', synonyms: [] };
      if (nameClass === 'scientific name') current.name = name;
      else current.synonyms.push(name);
    }
    if (current) yield current;
    context.onProgress?.(rows % 10000);
  },
};
