/**
 * One export writer for `litmine export` and the server's `GET /api/export`: annotated documents
 * as a BioC JSON or BioC XML collection, or PubTator text, with the content type each is served
 * with. Callers bring the documents (the CLI from the log, the server from the store).
 *
 *   const { text, contentType } = writeExport('pubtator', [{ article, annotation }]);
 */
import { type AnnotatedParts, biocDocument, pubtatorDocument } from './annotated-document.js';
import type { BioCCollection } from './bioc.js';
import { writeBiocJson } from './bioc-json.js';
import { writeBiocXml } from './bioc-xml.js';
import { writePubtatorDocument } from './pubtator.js';
import type { Article } from '../records/types.js';

export const EXPORT_FORMATS = ['biocjson', 'biocxml', 'pubtator'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  biocjson: 'application/json; charset=utf-8',
  biocxml: 'application/xml; charset=utf-8',
  pubtator: 'text/plain; charset=utf-8',
};

export interface ExportDocument {
  article: Article;
  annotation: AnnotatedParts | undefined;
}

export function writeExport(format: ExportFormat, docs: ExportDocument[]): { text: string; contentType: string; annotations: number } {
  let text: string;
  if (format === 'pubtator') text = docs.map((d) => writePubtatorDocument(pubtatorDocument(d.article, d.annotation))).join('\n');
  else {
    const collection: BioCCollection = {
      source: 'litmine',
      date: new Date().toISOString().slice(0, 10),
      key: 'litmine.key',
      infons: {},
      documents: docs.map((d) => biocDocument(d.article, d.annotation)),
    };
    text = format === 'biocjson' ? writeBiocJson(collection) : writeBiocXml(collection);
  }
  const annotations = docs.reduce((n, d) => n + (d.annotation?.mentions.length ?? 0), 0);
  return { text, contentType: EXPORT_CONTENT_TYPES[format], annotations };
}
