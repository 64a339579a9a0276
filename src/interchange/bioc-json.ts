/**
 * BioC JSON, read and written: a collection (`{ source, date, key, infons, documents }`) or a single
 * document object as PubTator's API returns it (`{ id, infons, passages, relations, … }`; extra fields
 * are ignored). Reading fills absent lists with [] and turns infon values into strings.
 *
 *   const c = readBiocJson(readFileSync('pubtator_8.json', 'utf8'));  writeBiocJson(c)
 */
import { LitmineError } from '../errors.js';
import {
  type BioCAnnotation,
  type BioCCollection,
  type BioCDocument,
  type BioCPassage,
  type BioCRelation,
  type BioCSentence,
  stringInfons,
} from './bioc.js';

type Json = Record<string, unknown>;
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

function annotation(a: Json): BioCAnnotation {
  return {
    id: String(a.id ?? ''),
    infons: stringInfons(a.infons),
    text: String(a.text ?? ''),
    locations: list(a.locations).map((l) => ({ offset: Number(l.offset), length: Number(l.length) })),
  };
}

function relation(r: Json): BioCRelation {
  return {
    id: String(r.id ?? ''),
    infons: stringInfons(r.infons),
    nodes: list(r.nodes).map((n) => ({ refid: String(n.refid), role: String(n.role ?? '') })),
  };
}

function sentence(s: Json): BioCSentence {
  return {
    offset: Number(s.offset),
    infons: stringInfons(s.infons),
    text: String(s.text ?? ''),
    annotations: list(s.annotations).map(annotation),
    relations: list(s.relations).map(relation),
  };
}

function passage(p: Json): BioCPassage {
  return {
    offset: Number(p.offset),
    infons: stringInfons(p.infons),
    text: typeof p.text === 'string' ? p.text : '',
    sentences: list(p.sentences).map(sentence),
    annotations: list(p.annotations).map(annotation),
    relations: list(p.relations).map(relation),
  };
}

function document(d: Json): BioCDocument {
  return {
    id: String(d.id ?? ''),
    infons: stringInfons(d.infons),
    passages: list(d.passages).map(passage),
    annotations: list(d.annotations).map(annotation),
    relations: list(d.relations).map(relation),
  };
}

export function readBiocJson(text: string, name = 'BioC JSON'): BioCCollection {
  let raw: Json;
  try {
    raw = JSON.parse(text) as Json;
  } catch (err) {
    throw new LitmineError('LITMINE_USAGE', `${name}: not JSON: ${(err as Error).message}`);
  }
  if (Array.isArray(raw.documents))
    return {
      source: String(raw.source ?? ''),
      date: String(raw.date ?? ''),
      key: String(raw.key ?? ''),
      infons: stringInfons(raw.infons),
      documents: list(raw.documents).map(document),
    };
  if (Array.isArray(raw.passages)) return { source: '', date: '', key: '', infons: {}, documents: [document(raw)] };
  throw new LitmineError('LITMINE_USAGE', `${name}: neither a BioC collection (documents) nor a document (passages)`);
}

export function writeBiocJson(c: BioCCollection): string {
  return JSON.stringify(c);
}
