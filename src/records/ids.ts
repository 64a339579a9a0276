/**
 * Deterministic ids: replaying a record with the same model overwrites, never duplicates.
 *
 *   documentId({ pmid: '31452104' })                       → 'pmid:31452104'
 *   annotationId('pmid:31452104', 2)                       → 'pmid:31452104@2'
 *   mentionId('pmid:31452104@2', 'abstract.0', 10, 19, 'Disease', 'a1b2c3d4e5f6')  → 'm-…' (16 hex)
 */
import { createHash } from 'node:crypto';

export function documentId(ids: { pmid?: string; pmcid?: string; doi?: string }): string {
  if (ids.pmid) return `pmid:${ids.pmid}`;
  if (ids.pmcid) return `pmc:${normalisePmcid(ids.pmcid).replace(/\.\d+$/, '')}`;
  if (ids.doi) return `doi:${ids.doi}`;
  throw new Error('an article needs a PMID, a PMCID or a DOI');
}

export function normalisePmcid(pmcid: string): string {
  const trimmed = pmcid.trim();
  return /^PMC/i.test(trimmed) ? `PMC${trimmed.slice(3)}` : `PMC${trimmed}`;
}

export function annotationId(documentId: string, documentVersion: number): string {
  return `${documentId}@${documentVersion}`;
}

export function sentenceId(annotationId: string, passageId: string, start: number): string {
  return `${annotationId}/s/${passageId}/${start}`;
}

export function mentionId(annotationId: string, passageId: string, start: number, end: number, type: string, modelVersion: string): string {
  return `m-${digest(annotationId, passageId, start, end, type, modelVersion)}`;
}

export function relationId(subjectId: string, objectId: string, type: string, modelVersion: string): string {
  return `r-${digest(subjectId, objectId, type, modelVersion)}`;
}

/** A short stable hash of the model names and versions, embedded in every mention and relation id. */
export function modelVersionHash(models: { name: string; version: string }[]): string {
  return digest(...models.map((m) => `${m.name}@${m.version}`)).slice(0, 12);
}

/** What a knowledge graph merges on: type plus case- and space-normalised surface text. */
export function entityKey(type: string, text: string): string {
  return `${type}:${text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

export function relationKey(subjectKey: string, type: string, objectKey: string): string {
  return `${subjectKey}|${type}|${objectKey}`;
}

function digest(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
