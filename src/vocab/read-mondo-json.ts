/**
 * MONDO (staged as a JSON array of `{ id, name, synonyms, xrefs: [{ namespace, id }] }`): disease
 * names and synonyms that map onto MeSH descriptors (MESH xrefs) and OMIM entries. A MONDO term with a
 * MeSH xref adds its names to that descriptor; one with only OMIM becomes an OMIM concept; others a
 * MONDO concept. Obsolete terms are skipped.
 *
 *   for await (const c of mondoJson.read('mondo.json', {})) // { id: 'OMIM:219700', mapsTo: [], … }
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isGzip } from './read-lines.js';
import { TYPE, type VocabConcept, type VocabReader } from './vocab-concept.js';

interface MondoTerm {
  id: string;
  name?: string;
  synonyms?: string[];
  xrefs?: { id: string; namespace: string }[];
  is_obsolete?: boolean;
}

let mondoVersion: string | undefined;

export const mondoJson: VocabReader = {
  name: 'mondo-json',
  accepts: (base, head) => /mondo/i.test(base) && /\.json(\.gz)?$/.test(base) && /^\s*[[{]/.test(head),
  async *read(path, context) {
    const bytes = readFileSync(path);
    context.onBytes?.(bytes.length);
    const raw = (isGzip(path) ? gunzipSync(bytes) : bytes).toString('utf8');
    const parsed = JSON.parse(raw) as MondoTerm[] | { version?: string; terms?: MondoTerm[] };
    const terms = Array.isArray(parsed) ? parsed : (parsed.terms ?? []);
    mondoVersion = Array.isArray(parsed) ? `${terms.length} terms` : parsed.version;
    let rows = 0;
    for (const t of terms) {
      if (!t.name || t.is_obsolete || /^obsolete /i.test(t.name)) continue;
      const xrefs = t.xrefs ?? [];
      const mesh = xrefs.filter((x) => x.namespace === 'MESH').map((x) => `MESH:${x.id}`);
      const omim = xrefs.filter((x) => x.namespace === 'OMIM').map((x) => `OMIM:${x.id}`);
      const synonyms = (t.synonyms ?? []).filter((s) => s !== t.name);
      const concept: VocabConcept =
        omim.length > 0
          ? { id: omim[0]!, types: TYPE.Disease, name: t.name, synonyms, mapsTo: mesh }
          : { id: `MONDO:${t.id}`, types: TYPE.Disease, name: t.name, synonyms, mapsTo: mesh };
      yield concept;
      if (++rows % 10000 === 0) context.onProgress?.(10000);
    }
    context.onProgress?.(rows % 10000);
  },
  version: () => mondoVersion,
};
