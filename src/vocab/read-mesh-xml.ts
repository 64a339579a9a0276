/**
 * MeSH as NLM publishes it: descriptors (`desc2025.xml`, DescriptorRecordSet) and supplementary concept
 * records (`supp2025.xml`, SupplementalRecordSet), gzipped or not. The file is scanned record by record
 * (a descriptor set is ~300 MB) and each record parsed alone with fast-xml-parser; every Term String of
 * every Concept is a synonym. The version is the year in the file name or the set's first record.
 *
 *   for await (const c of meshXml.read('desc2025.xml', {})) // { id: 'MESH:D002945', trees: ['D01.210.375', …] }
 */
import { basename } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { openText } from './read-lines.js';
import { type VocabConcept, type VocabReader, meshTypes } from './vocab-concept.js';

const parser = new XMLParser({ ignoreAttributes: true, processEntities: true, isArray: () => true, parseTagValue: false });

type Node = Record<string, unknown[]>;
const first = (n: unknown, key: string): Node | undefined => ((n as Node | undefined)?.[key]?.[0] as Node | undefined) ?? undefined;
const all = (n: unknown, key: string): Node[] => ((n as Node | undefined)?.[key] as Node[] | undefined) ?? [];
const text = (n: unknown, key: string): string => {
  const v = (n as Node | undefined)?.[key]?.[0];
  return typeof v === 'string' ? v.trim() : '';
};

function concept(record: Node, kind: 'Descriptor' | 'Supplemental'): VocabConcept | undefined {
  const ui = text(record, kind === 'Descriptor' ? 'DescriptorUI' : 'SupplementalRecordUI');
  const name = text(first(record, kind === 'Descriptor' ? 'DescriptorName' : 'SupplementalRecordName'), 'String');
  if (!ui || !name) return undefined;
  const synonyms = new Set<string>();
  for (const c of all(first(record, 'ConceptList'), 'Concept'))
    for (const term of all(first(c, 'TermList'), 'Term')) {
      const s = text(term, 'String');
      if (s && s !== name) synonyms.add(s);
    }
  if (kind === 'Descriptor') {
    const trees = all(first(record, 'TreeNumberList'), 'TreeNumber').map((t) => String(t).trim());
    return { id: `MESH:${ui}`, types: meshTypes(trees), name, synonyms: [...synonyms], trees };
  }
  const mapsTo = all(first(record, 'HeadingMappedToList'), 'HeadingMappedTo')
    .map((h) => text(first(h, 'DescriptorReferredTo'), 'DescriptorUI').replace(/^\*/, ''))
    .filter(Boolean)
    .map((d) => `MESH:${d}`);
  return { id: `MESH:${ui}`, types: 0, name, synonyms: [...synonyms], mapsTo };
}

let version: string | undefined;

export const meshXml: VocabReader = {
  name: 'mesh-xml',
  accepts: (_base, head) => /<(DescriptorRecordSet|SupplementalRecordSet)\b/.test(head),
  async *read(path, context) {
    version = basename(path).match(/(?:desc|supp)(\d{4})/)?.[1];
    let buffer = '';
    let rows = 0;
    for await (const chunk of openText(path, context).setEncoding('utf8')) {
      buffer += chunk as string;
      for (;;) {
        const m = buffer.match(/<(DescriptorRecord|SupplementalRecord)[\s>]/);
        if (!m || m.index === undefined) {
          buffer = buffer.slice(Math.max(0, buffer.length - 64));
          break;
        }
        const kind = m[1] as 'DescriptorRecord' | 'SupplementalRecord';
        const close = `</${kind}>`;
        const end = buffer.indexOf(close, m.index);
        if (end < 0) {
          buffer = buffer.slice(m.index);
          break;
        }
        const xml = buffer.slice(m.index, end + close.length);
        buffer = buffer.slice(end + close.length);
        const record = first(parser.parse(xml), kind);
        if (!record) continue;
        if (!version) version = text(first(record, 'DateCreated'), 'Year') || undefined;
        const c = concept(record, kind === 'DescriptorRecord' ? 'Descriptor' : 'Supplemental');
        if (c) yield c;
        if (++rows % 10000 === 0) context.onProgress?.(10000);
      }
    }
    context.onProgress?.(rows % 10000);
  },
  version: () => (version ? `MeSH ${version}` : undefined),
};
