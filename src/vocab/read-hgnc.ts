/**
 * HGNC human genes → NCBI Gene ids, from either the staged table (`HGNC ID`, `Approved symbol`,
 * `Alias symbols`, `NCBI Gene ID(supplied by NCBI)` …, the custom-download column names) or HGNC's
 * official complete set (`hgnc_complete_set.txt`: hgnc_id, symbol, name, alias_symbol, prev_symbol,
 * entrez_id). Columns are found by header name; withdrawn entries and rows without a Gene id are skipped.
 *
 *   for await (const c of hgncGenes.read('hgnc_complete_set.txt', {})) // { id: 'NCBIGene:7157', name: 'TP53', … }
 */
import { readLines, splitList } from './read-lines.js';
import { TYPE, type VocabReader } from './vocab-concept.js';

const COLUMNS = {
  symbol: ['Approved symbol', 'symbol'],
  name: ['Approved name', 'name'],
  status: ['Status', 'status'],
  aliases: ['Alias symbols', 'alias_symbol'],
  aliasNames: ['Alias names', 'alias_name'],
  previous: ['Previous symbols', 'prev_symbol'],
  previousNames: ['Previous name', 'prev_name'],
  gene: ['NCBI Gene ID(supplied by NCBI)', 'NCBI Gene ID', 'entrez_id'],
  locus: ['Locus type', 'locus_type'],
} as const;

export const hgncGenes: VocabReader = {
  name: 'hgnc',
  accepts: (base, head) => /hgnc/i.test(base) && /^(HGNC ID|hgnc_id)\t/.test(head),
  async *read(path, context) {
    let index: Record<keyof typeof COLUMNS, number> | undefined;
    let rows = 0;
    for await (const line of readLines(path, context)) {
      const f = line.split('\t');
      if (!index) {
        const header = f.map((h) => h.trim());
        index = Object.fromEntries(
          Object.entries(COLUMNS).map(([k, names]) => [k, header.findIndex((h) => (names as readonly string[]).includes(h))]),
        ) as Record<keyof typeof COLUMNS, number>;
        if (index.symbol < 0 || index.gene < 0) throw new Error(`${path}: no symbol or NCBI Gene id column in the header`);
        continue;
      }
      const get = (k: keyof typeof COLUMNS) => (index![k] >= 0 ? (f[index![k]] ?? '').trim() : '');
      const gene = get('gene');
      const status = get('status');
      if (!gene || /withdrawn/i.test(status)) continue;
      // The official set quotes multi-valued fields ("A|B"); the custom download separates by ", ".
      const list = (k: keyof typeof COLUMNS) => splitList(get(k).replace(/^"|"$/g, ''), /\s*[|,]\s+|\|/);
      const symbol = get('symbol');
      const synonyms = [get('name'), ...list('aliases'), ...list('previous'), ...list('aliasNames'), ...list('previousNames')].filter(
        (s) => s && s !== symbol,
      );
      yield {
        id: `NCBIGene:${gene}`,
        types: TYPE.Gene,
        name: symbol,
        synonyms,
        prior: /protein/i.test(get('locus')) ? 1 : 0.5,
      };
      if (++rows % 10000 === 0) context.onProgress?.(10000);
    }
    context.onProgress?.(rows % 10000);
  },
};
