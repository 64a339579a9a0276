/**
 * The write rules both search stores follow for versions, deletes and the PubMed/PMC merge, as pure
 * functions over what is stored, so the embedded store and Elasticsearch decide identically.
 *
 *   decideArticle({ article: storedV1, deleted: null }, incomingV2) → { kind: 'write', dropAnnotations: 'older', ... }
 *   decideAnnotation({ articleVersion: 2 }, annotationOfV1)        → { kind: 'ignore', reason: 'stale: ...' }
 *   decideDelete({ article: storedV2 }, undefined)                 → { kind: 'delete', deleted: { version: 2 } }
 */
import type { Annotation, Article } from '../records/types.js';

/** What a store knows about one document before an op. `deleted` absent: never deleted. */
export interface DocState {
  article?: Pick<Article, 'version' | 'fullText' | 'source'> | null;
  /** Version of the annotations stored for the document, if any. */
  annotationVersion?: number | null;
  /** A recorded delete: the version deleted, or null when the delete named no version. */
  deleted?: { version: number | null } | null;
}

export type ArticleDecision =
  | {
      kind: 'write';
      article: Article;
      /** Stored annotations to drop: none, those of older versions, or all of another version. */
      dropAnnotations: 'none' | 'older' | 'other';
      /** The write re-creates a deleted document, so the delete record goes. */
      clearsDelete: boolean;
    }
  | { kind: 'ignore'; reason: string };

/**
 * Upsert rules:
 * - a document deleted at version v ignores articles of version ≤ v (a late replay); a later version
 *   (or any version, when the delete named none) re-creates it;
 * - within one source, an older version is ignored, the same version overwrites the article and keeps
 *   its annotations, a newer one replaces it and drops the older annotations;
 * - PubMed/PMC merge: when the stored article is a PMC full text and an abstract-only record of the
 *   same document arrives, the full-text passages, version, source, PMCID and licence are kept and
 *   everything else (title, MeSH, chemicals, keywords, dates, journal, authors) is taken from the
 *   incoming record, since PubMed revises metadata after PMC publishes. Annotations are kept;
 * - a full text arriving over an abstract-only record replaces it (versions of the two sources are
 *   not comparable), dropping annotations of any other version.
 */
export function decideArticle(state: DocState, incoming: Article, mergedAt?: Article | null): ArticleDecision {
  const deleted = state.deleted;
  if (deleted && deleted.version !== null && incoming.version <= deleted.version) {
    return { kind: 'ignore', reason: `stale: ${incoming.id} was deleted at version ${deleted.version}` };
  }
  const clearsDelete = !!deleted;
  const stored = state.article;
  if (!stored) return { kind: 'write', article: incoming, dropAnnotations: 'older', clearsDelete };
  if (stored.fullText && !incoming.fullText) {
    if (!mergedAt) throw new Error('decideArticle: the stored full text is needed to merge');
    return { kind: 'write', article: mergeAbstractIntoFullText(mergedAt, incoming), dropAnnotations: 'none', clearsDelete };
  }
  if (!stored.fullText && incoming.fullText) {
    return { kind: 'write', article: incoming, dropAnnotations: 'other', clearsDelete };
  }
  if (incoming.version < stored.version) {
    return { kind: 'ignore', reason: `stale: ${incoming.id} version ${incoming.version} is older than stored ${stored.version}` };
  }
  return {
    kind: 'write',
    article: incoming,
    dropAnnotations: incoming.version > stored.version ? 'older' : 'none',
    clearsDelete,
  };
}

/** Keeps the stored full text's passages and identity, takes the newer citation metadata. */
export function mergeAbstractIntoFullText(fullText: Article, citation: Article): Article {
  return {
    ...citation,
    version: fullText.version,
    source: fullText.source,
    pmid: citation.pmid ?? fullText.pmid,
    pmcid: fullText.pmcid ?? citation.pmcid,
    doi: citation.doi ?? fullText.doi,
    otherIds: { ...fullText.otherIds, ...citation.otherIds },
    passages: fullText.passages,
    license: fullText.license,
    fullText: true,
    origin: fullText.origin,
  };
}

export type DeleteDecision = { kind: 'delete'; deleted: { version: number | null } } | { kind: 'ignore'; reason: string };

/**
 * Delete rules: a delete naming a version older than the stored article is a late replay and is
 * ignored. Otherwise the document goes and the delete record covers the version named (without one,
 * the stored version; with neither, every version). A second delete widens the record: to the later
 * version, or to every version when either names none. Articles up to the recorded version are then
 * ignored by decideArticle, annotations by decideAnnotation.
 */
export function decideDelete(state: DocState, version: number | undefined): DeleteDecision {
  const stored = state.article;
  if (stored && version !== undefined && version < stored.version) {
    return { kind: 'ignore', reason: `stale: delete of version ${version}, stored article is version ${stored.version}` };
  }
  const deletedVersion = version ?? stored?.version ?? null;
  const prev = state.deleted;
  if (!prev) return { kind: 'delete', deleted: { version: deletedVersion } };
  const widened = prev.version === null || deletedVersion === null ? null : Math.max(prev.version, deletedVersion);
  return { kind: 'delete', deleted: { version: widened } };
}

export type AnnotationDecision = { kind: 'write' } | { kind: 'ignore'; reason: string };

/**
 * Annotation rules: an annotation replaces every stored annotation of its document, unless the
 * document was deleted at its version or later, the stored article (or, without an article, the
 * stored annotation) is newer, or it covers only title/abstract while the stored article is a full
 * text of another version (an abstract-only annotation never replaces full-text annotations).
 */
export function decideAnnotation(state: DocState, annotation: Annotation): AnnotationDecision {
  const v = annotation.documentVersion;
  const deleted = state.deleted;
  if (deleted && (deleted.version === null || v <= deleted.version)) {
    return { kind: 'ignore', reason: `stale: ${annotation.documentId} was deleted` };
  }
  const article = state.article;
  if (article && v < article.version) {
    return { kind: 'ignore', reason: `stale: annotation of version ${v}, stored article is version ${article.version}` };
  }
  if (!article && state.annotationVersion != null && v < state.annotationVersion) {
    return { kind: 'ignore', reason: `stale: annotation of version ${v}, stored annotations are version ${state.annotationVersion}` };
  }
  if (article?.fullText && v !== article.version && isAbstractOnly(annotation)) {
    return { kind: 'ignore', reason: 'an abstract-only annotation does not replace the annotations of a full text' };
  }
  return { kind: 'write' };
}

function isAbstractOnly(annotation: Annotation): boolean {
  return annotation.sentences.every((s) => s.passageId === 'title' || s.passageId.startsWith('abstract'));
}

/** A reason the op is malformed (goes to `rejected`), or null. */
export function invalidReason(op: { op: string; article?: Article; annotation?: Annotation; documentId?: string }): string | null {
  if (op.op === 'upsertArticle') {
    const a = op.article;
    if (!a || typeof a.id !== 'string' || !a.id) return 'article has no id';
    if (!Number.isInteger(a.version)) return `article ${a.id} has no integer version`;
    if (typeof a.title !== 'string') return `article ${a.id} has no title`;
    if (!Array.isArray(a.passages)) return `article ${a.id} has no passages`;
    return null;
  }
  if (op.op === 'upsertAnnotation') {
    const n = op.annotation;
    if (!n || typeof n.documentId !== 'string' || !n.documentId) return 'annotation has no documentId';
    if (!Number.isInteger(n.documentVersion)) return `annotation of ${n.documentId} has no integer documentVersion`;
    if (!Array.isArray(n.sentences) || !Array.isArray(n.mentions) || !Array.isArray(n.relations)) {
      return `annotation of ${n.documentId} lacks sentences, mentions or relations`;
    }
    const mentionIds = new Set(n.mentions.map((m) => m.id));
    const bad = n.relations.find((r) => !mentionIds.has(r.subjectId) || !mentionIds.has(r.objectId));
    if (bad) return `annotation of ${n.documentId}: relation ${bad.id} names a mention that is not in the annotation`;
    return null;
  }
  if (op.op === 'deleteArticle') return typeof op.documentId === 'string' && op.documentId ? null : 'delete has no documentId';
  return `unknown op ${String(op.op)}`;
}
