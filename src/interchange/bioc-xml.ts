/**
 * BioC XML, read and written (the BioC DTD: collection > source, date, key, infon*, document*;
 * document > id, infon*, passage*, annotation*, relation*; passage > infon*, offset, text?,
 * sentence*, annotation*, relation*). Reading uses fast-xml-parser without entity expansion; writing
 * escapes text and attributes.
 *
 *   const c = readBiocXml(readFileSync('everything.xml', 'utf8'));  writeBiocXml(c)
 */
import { XMLParser } from 'fast-xml-parser';
import { LitmineError } from '../errors.js';
import type { BioCAnnotation, BioCCollection, BioCPassage, BioCRelation, BioCSentence, Infons } from './bioc.js';

const LISTS = new Set(['document', 'passage', 'sentence', 'annotation', 'relation', 'infon', 'location', 'node']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  processEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => LISTS.has(name),
});

type Node = Record<string, unknown>;
const nodes = (n: Node, k: string): Node[] => (n[k] as Node[] | undefined) ?? [];
const text = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' ? String((v as Node)['#text'] ?? '') : '');

function infons(n: Node): Infons {
  return Object.fromEntries(nodes(n, 'infon').map((i) => [String(i['@key']), text(i)]));
}

function annotation(a: Node): BioCAnnotation {
  return {
    id: String(a['@id'] ?? ''),
    infons: infons(a),
    text: text(a.text),
    locations: nodes(a, 'location').map((l) => ({ offset: Number(l['@offset']), length: Number(l['@length']) })),
  };
}

function relation(r: Node): BioCRelation {
  return {
    id: String(r['@id'] ?? ''),
    infons: infons(r),
    nodes: nodes(r, 'node').map((x) => ({ refid: String(x['@refid']), role: String(x['@role'] ?? '') })),
  };
}

function sentence(s: Node): BioCSentence {
  return {
    offset: Number(text(s.offset)),
    infons: infons(s),
    text: text(s.text),
    annotations: nodes(s, 'annotation').map(annotation),
    relations: nodes(s, 'relation').map(relation),
  };
}

function passage(p: Node): BioCPassage {
  return {
    offset: Number(text(p.offset)),
    infons: infons(p),
    text: text(p.text),
    sentences: nodes(p, 'sentence').map(sentence),
    annotations: nodes(p, 'annotation').map(annotation),
    relations: nodes(p, 'relation').map(relation),
  };
}

export function readBiocXml(xml: string, name = 'BioC XML'): BioCCollection {
  if (/<!ENTITY/i.test(xml)) throw new LitmineError('LITMINE_PARSE_ENTITY', `${name}: declares DTD entities (refused)`);
  const root = (parser.parse(xml) as Node).collection as Node | undefined;
  if (!root) throw new LitmineError('LITMINE_PARSE_UNSUPPORTED', `${name}: no <collection> root`);
  return {
    source: text(root.source),
    date: text(root.date),
    key: text(root.key),
    infons: infons(root),
    documents: nodes(root, 'document').map((d) => ({
      id: text(d.id),
      infons: infons(d),
      passages: nodes(d, 'passage').map(passage),
      annotations: nodes(d, 'annotation').map(annotation),
      relations: nodes(d, 'relation').map(relation),
    })),
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (s: string) => esc(s).replace(/"/g, '&quot;');
const infonXml = (i: Infons, pad: string) => Object.entries(i).map(([k, v]) => `${pad}<infon key="${attr(k)}">${esc(v)}</infon>`);

function annotationXml(a: BioCAnnotation, pad: string): string[] {
  return [
    `${pad}<annotation id="${attr(a.id)}">`,
    ...infonXml(a.infons, `${pad}  `),
    ...a.locations.map((l) => `${pad}  <location offset="${l.offset}" length="${l.length}"/>`),
    `${pad}  <text>${esc(a.text)}</text>`,
    `${pad}</annotation>`,
  ];
}

function relationXml(r: BioCRelation, pad: string): string[] {
  return [
    `${pad}<relation id="${attr(r.id)}">`,
    ...infonXml(r.infons, `${pad}  `),
    ...r.nodes.map((n) => `${pad}  <node refid="${attr(n.refid)}" role="${attr(n.role)}"/>`),
    `${pad}</relation>`,
  ];
}

export function writeBiocXml(c: BioCCollection): string {
  const out = ["<?xml version='1.0' encoding='UTF-8'?>", '<!DOCTYPE collection SYSTEM "BioC.dtd">', '<collection>'];
  out.push(
    `  <source>${esc(c.source)}</source>`,
    `  <date>${esc(c.date)}</date>`,
    `  <key>${esc(c.key)}</key>`,
    ...infonXml(c.infons, '  '),
  );
  for (const d of c.documents) {
    out.push('  <document>', `    <id>${esc(d.id)}</id>`, ...infonXml(d.infons, '    '));
    for (const p of d.passages) {
      out.push('    <passage>', ...infonXml(p.infons, '      '), `      <offset>${p.offset}</offset>`);
      if (p.text !== '' || p.sentences.length === 0) out.push(`      <text>${esc(p.text)}</text>`);
      for (const s of p.sentences) {
        out.push(
          '      <sentence>',
          ...infonXml(s.infons, '        '),
          `        <offset>${s.offset}</offset>`,
          `        <text>${esc(s.text)}</text>`,
        );
        for (const a of s.annotations) out.push(...annotationXml(a, '        '));
        for (const r of s.relations) out.push(...relationXml(r, '        '));
        out.push('      </sentence>');
      }
      for (const a of p.annotations) out.push(...annotationXml(a, '      '));
      for (const r of p.relations) out.push(...relationXml(r, '      '));
      out.push('    </passage>');
    }
    for (const a of d.annotations) out.push(...annotationXml(a, '    '));
    for (const r of d.relations) out.push(...relationXml(r, '    '));
    out.push('  </document>');
  }
  out.push('</collection>');
  return `${out.join('\n')}\n`;
}
