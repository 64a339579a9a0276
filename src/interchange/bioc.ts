/**
 * The BioC data model (Comeau et al. 2013) as PubTator serves it, shared by the BioC JSON and XML
 * readers and writers: a collection of documents, each of passages with offsets and annotations
 * (infons `type` and `identifier`, locations), and relations with role-named nodes.
 *
 *   const c: BioCCollection = { source: 'litmine', date: '2026-01-01', key: 'litmine.key', infons: {}, documents: [] };
 */

export type Infons = Record<string, string>;

export interface BioCLocation {
  offset: number;
  length: number;
}

export interface BioCAnnotation {
  id: string;
  infons: Infons;
  text: string;
  locations: BioCLocation[];
}

export interface BioCNode {
  refid: string;
  role: string;
}

export interface BioCRelation {
  id: string;
  infons: Infons;
  nodes: BioCNode[];
}

export interface BioCSentence {
  offset: number;
  infons: Infons;
  text: string;
  annotations: BioCAnnotation[];
  relations: BioCRelation[];
}

export interface BioCPassage {
  offset: number;
  infons: Infons;
  /** '' when the passage's text is carried by its sentences (BioC allows either). */
  text: string;
  sentences: BioCSentence[];
  annotations: BioCAnnotation[];
  relations: BioCRelation[];
}

export interface BioCDocument {
  id: string;
  infons: Infons;
  passages: BioCPassage[];
  annotations: BioCAnnotation[];
  relations: BioCRelation[];
}

export interface BioCCollection {
  source: string;
  date: string;
  key: string;
  infons: Infons;
  documents: BioCDocument[];
}

/** Infon values as strings (PubTator's JSON also carries numbers, booleans and null). */
export function stringInfons(raw: unknown): Infons {
  const out: Infons = {};
  if (raw && typeof raw === 'object')
    for (const [k, v] of Object.entries(raw as Record<string, unknown>))
      if (v !== null && v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
