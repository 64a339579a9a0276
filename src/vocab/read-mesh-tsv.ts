/**
 * MeSH as tab-separated tables (the staged copy in ../shared/data/vocab/mesh): descriptors
 * `UI  name  synonyms|…  tree|…` and supplementary concepts `UI  name  synonyms|…  descriptorUI|…`.
 * Descriptors are typed by tree (C/F03 Disease, D Chemical); a supplementary concept takes the types
 * of the descriptors it maps to (the builder resolves them).
 *
 *   for await (const c of meshDescriptorsTsv.read('mesh_id_label_mappings.tsv', {})) …
 */
import { readLines, splitList } from './read-lines.js';
import { type VocabConcept, type VocabReader, meshTypes } from './vocab-concept.js';

function tsvReader(name: string, file: RegExp, uiPrefix: 'D' | 'C'): VocabReader {
  let newest = '';
  return {
    name,
    accepts: (base, head) => file.test(base) && new RegExp(`^${uiPrefix}\\d{6,9}\\t`).test(head),
    async *read(path, context) {
      let rows = 0;
      for await (const line of readLines(path, context)) {
        const f = line.split('\t');
        const ui = f[0]?.trim();
        if (!ui || !f[1]) continue;
        if (ui.length > newest.length || (ui.length === newest.length && ui > newest)) newest = ui;
        const synonyms = splitList(f[2], '|');
        const fourth = splitList(f[3], /[|,]/);
        const concept: VocabConcept =
          uiPrefix === 'D'
            ? { id: `MESH:${ui}`, types: meshTypes(fourth), name: f[1], synonyms, trees: fourth }
            : { id: `MESH:${ui}`, types: 0, name: f[1], synonyms, mapsTo: fourth.map((d) => `MESH:${d.replace(/^\*/, '')}`) };
        yield concept;
        if (++rows % 10000 === 0) context.onProgress?.(10000);
      }
      context.onProgress?.(rows % 10000);
    },
    version: () => (newest ? `newest UI ${newest}` : undefined),
  };
}

export const meshDescriptorsTsv = tsvReader('mesh-descriptors-tsv', /^mesh_id_label_mappings\.tsv(\.gz)?$/, 'D');
export const meshSupplementaryTsv = tsvReader('mesh-supplementary-tsv', /^mesh_supp_id_label_mappings\.tsv(\.gz)?$/, 'C');
