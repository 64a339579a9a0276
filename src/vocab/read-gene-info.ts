/**
 * NCBI Gene's `gene_info` (gzipped or not): `#tax_id GeneID Symbol LocusTag Synonyms dbXrefs … description
 * type_of_gene Symbol_from_nomenclature_authority Full_name_from_nomenclature_authority …`. Only the
 * taxa asked for are kept (human, 9606, by default: the whole file holds ~60 million genes).
 *
 *   for await (const c of geneInfo.read('Homo_sapiens.gene_info.gz', {})) // { id: 'NCBIGene:7157', name: 'TP53' }
 */
import { readLines, splitList } from './read-lines.js';
import { TYPE, type VocabReader } from './vocab-concept.js';

export const GENE_INFO_TAXA = new Set(['9606']);
let newest = '';

export const geneInfo: VocabReader = {
  name: 'ncbi-gene-info',
  accepts: (base, head) => /gene_info/.test(base) && /^#tax_id\tGeneID\tSymbol\t/.test(head),
  async *read(path, context) {
    let header: string[] | undefined;
    let rows = 0;
    for await (const line of readLines(path, context)) {
      const f = line.split('\t');
      if (!header) {
        header = f.map((h) => h.replace(/^#/, ''));
        continue;
      }
      const col = (name: string) => {
        const v = f[header!.indexOf(name)];
        return v && v !== '-' ? v : '';
      };
      if (!GENE_INFO_TAXA.has(col('tax_id'))) continue;
      const date = col('Modification_date');
      if (date > newest) newest = date;
      const symbol = col('Symbol_from_nomenclature_authority') || col('Symbol');
      const synonyms = [
        col('Symbol'),
        col('Full_name_from_nomenclature_authority'),
        col('description'),
        ...splitList(col('Synonyms'), '|'),
      ];
      synonyms.push(...splitList(col('Other_designations'), '|'));
      yield {
        id: `NCBIGene:${col('GeneID')}`,
        types: TYPE.Gene,
        name: symbol,
        synonyms: [...new Set(synonyms.filter((s) => s && s !== symbol))],
        prior: col('type_of_gene') === 'protein-coding' ? 1 : 0.5,
      };
      if (++rows % 10000 === 0) context.onProgress?.(10000);
    }
    context.onProgress?.(rows % 10000);
  },
  version: () => (newest ? `modified up to ${newest}` : undefined),
};
