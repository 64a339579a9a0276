/**
 * Small self-written documents for the search-store contract suite (not real PubMed text): a spec
 * lists passages as sentences with their mentions and relations, and the builders turn it into the
 * Article and Annotation records the index stage writes, with real offsets and deterministic ids.
 *
 *   const spec = doc({ id: 'pmid:1001', title: 'T', abstract: [{ text: 'Cisplatin hurts.', mentions: [['Cisplatin', 'Chemical']] }] });
 *   store.apply([{ op: 'upsertArticle', article: article(spec) }, { op: 'upsertAnnotation', annotation: annotation(spec) }]);
 */
import { annotationId, entityKey, mentionId, relationId, sentenceId } from '../../src/records/ids.js';
import type { Annotation, Article, Mention, Passage, PassageKind, Relation, Sentence } from '../../src/records/types.js';

export interface SentenceSpec {
  text: string;
  /** [surface text, type] — the first occurrence in the sentence. */
  mentions?: [string, string][];
  /** [subject text, relation type, object text, score] over this sentence's mentions. */
  relations?: [string, string, string, number][];
}

export interface PassageSpec {
  id: string;
  kind: PassageKind;
  section?: string;
  sentences: SentenceSpec[];
}

export interface DocSpec {
  id: string;
  version: number;
  source: 'pubmed' | 'pmc';
  fullText: boolean;
  pmid?: string;
  pmcid?: string;
  title: string;
  journal?: { title: string; isoAbbreviation?: string };
  published?: string;
  mesh?: string[];
  passages: PassageSpec[];
}

export function doc(spec: {
  id: string;
  version?: number;
  source?: 'pubmed' | 'pmc';
  fullText?: boolean;
  pmcid?: string;
  title: string;
  journal?: { title: string; isoAbbreviation?: string };
  published?: string;
  mesh?: string[];
  abstract?: SentenceSpec[];
  body?: { section: string; sentences: SentenceSpec[] }[];
}): DocSpec {
  const passages: PassageSpec[] = [];
  if (spec.abstract) passages.push({ id: 'abstract.0', kind: 'abstract', sentences: spec.abstract });
  spec.body?.forEach((b, i) => passages.push({ id: `body.${i}`, kind: 'body', section: b.section, sentences: b.sentences }));
  return {
    id: spec.id,
    version: spec.version ?? 1,
    source: spec.source ?? 'pubmed',
    fullText: spec.fullText ?? false,
    ...(spec.id.startsWith('pmid:') ? { pmid: spec.id.slice(5) } : {}),
    ...(spec.pmcid ? { pmcid: spec.pmcid } : {}),
    title: spec.title,
    ...(spec.journal ? { journal: spec.journal } : {}),
    ...(spec.published ? { published: spec.published } : {}),
    ...(spec.mesh ? { mesh: spec.mesh } : {}),
    passages,
  };
}

function passageText(p: PassageSpec): string {
  return p.sentences.map((s) => s.text).join(' ');
}

export function article(spec: DocSpec): Article {
  const passages: Passage[] = [
    { id: 'title', kind: 'title', text: spec.title },
    ...spec.passages.map((p) => ({ id: p.id, kind: p.kind, ...(p.section ? { section: p.section } : {}), text: passageText(p) })),
  ];
  return {
    schema: 'litmine.article',
    schemaVersion: 2,
    id: spec.id,
    version: spec.version,
    source: spec.source,
    ...(spec.pmid ? { pmid: spec.pmid } : {}),
    ...(spec.pmcid ? { pmcid: spec.pmcid } : {}),
    title: spec.title,
    passages,
    ...(spec.journal ? { journal: spec.journal } : {}),
    authors: [],
    languages: ['eng'],
    publicationTypes: ['Journal Article'],
    mesh: (spec.mesh ?? []).map((name, i) => ({ descriptorUi: `D00000${i}`, name, majorTopic: false, qualifiers: [] })),
    chemicals: [],
    keywords: [],
    dates: spec.published ? { published: spec.published } : {},
    ...(spec.fullText ? { license: 'CC BY' } : {}),
    fullText: spec.fullText,
  };
}

export function annotation(spec: DocSpec, modelVersion = 'mv-test-0001'): Annotation {
  const annId = annotationId(spec.id, spec.version);
  const sentences: Sentence[] = [];
  const mentions: Mention[] = [];
  const relations: Relation[] = [];
  for (const p of spec.passages) {
    let offset = 0;
    for (const s of p.sentences) {
      const sid = sentenceId(annId, p.id, offset);
      sentences.push({ id: sid, passageId: p.id, start: offset, end: offset + s.text.length, text: s.text });
      const here = new Map<string, Mention>();
      for (const [text, type] of s.mentions ?? []) {
        const at = s.text.indexOf(text);
        if (at < 0) throw new Error(`fixture: "${text}" is not in "${s.text}"`);
        const start = offset + at;
        const m: Mention = {
          id: mentionId(annId, p.id, start, start + text.length, type, modelVersion),
          sentenceId: sid,
          passageId: p.id,
          start,
          end: start + text.length,
          text,
          type,
          score: 0.9,
          key: entityKey(type, text),
        };
        mentions.push(m);
        here.set(text, m);
      }
      for (const [subj, type, obj, score] of s.relations ?? []) {
        const a = here.get(subj);
        const b = here.get(obj);
        if (!a || !b) throw new Error(`fixture: relation ${subj} ${type} ${obj} needs both mentions`);
        relations.push({ id: relationId(a.id, b.id, type, modelVersion), type, subjectId: a.id, objectId: b.id, sentenceId: sid, score });
      }
      offset += s.text.length + 1;
    }
  }
  return {
    schema: 'litmine.annotation',
    schemaVersion: 2,
    id: annId,
    documentId: spec.id,
    documentVersion: spec.version,
    models: { ner: { name: 'test-ner', version: '1' }, re: { name: 'test-re', version: '1' } },
    modelVersion,
    sentences,
    mentions,
    relations,
    annotatedAt: '2024-01-01T00:00:00.000Z',
  };
}

// ---- The standard corpus -------------------------------------------------------------------

export const DOC_A = doc({
  id: 'pmid:1001',
  title: 'Cisplatin resistance in ovarian cancer cells',
  journal: { title: 'Journal of Test Oncology', isoAbbreviation: 'J Test Oncol' },
  published: '2019-03-14',
  abstract: [
    {
      text: 'Cisplatin induced nephrotoxicity in the treated patients.',
      mentions: [
        ['Cisplatin', 'Chemical'],
        ['nephrotoxicity', 'Disease'],
      ],
      relations: [['Cisplatin', 'CID', 'nephrotoxicity', 0.9]],
    },
    {
      text: 'Pannexin1 is located at the plasma membrane of ovarian cancer cells.',
      mentions: [
        ['Pannexin1', 'Gene'],
        ['ovarian cancer', 'Disease'],
      ],
    },
    {
      text: 'Levels of IL-6 rose after cisplatin exposure.',
      mentions: [
        ['IL-6', 'Gene'],
        ['cisplatin', 'Chemical'],
      ],
      relations: [['cisplatin', 'CPR:3', 'IL-6', 0.7]],
    },
  ],
});

export const DOC_B = doc({
  id: 'pmid:1002',
  title: 'Renal effects of platinum drugs',
  journal: { title: 'Kidney Test Reports' },
  published: '2021',
  abstract: [
    {
      text: 'Cisplatin caused nephrotoxicity in a rat model.',
      mentions: [
        ['Cisplatin', 'Chemical'],
        ['nephrotoxicity', 'Disease'],
      ],
      relations: [['Cisplatin', 'CID', 'nephrotoxicity', 0.8]],
    },
    {
      text: 'Carboplatin showed less nephrotoxicity than cisplatin.',
      mentions: [
        ['Carboplatin', 'Chemical'],
        ['nephrotoxicity', 'Disease'],
        ['cisplatin', 'Chemical'],
      ],
      relations: [['Carboplatin', 'CID', 'nephrotoxicity', 0.95]],
    },
  ],
});

export const DOC_C = doc({
  id: 'pmc:PMC2001',
  source: 'pmc',
  fullText: true,
  pmcid: 'PMC2001',
  title: 'Pannexin 1 channels in the brain',
  journal: { title: 'Journal of Test Oncology', isoAbbreviation: 'J Test Oncol' },
  published: '2023-07',
  abstract: [{ text: 'Pannexin1 forms large-pore channels.', mentions: [['Pannexin1', 'Gene']] }],
  body: [
    {
      section: 'Results > Localization',
      sentences: [
        { text: 'In neurons, pannexin1 localizes to the postsynaptic density.', mentions: [['pannexin1', 'Gene']] },
        { text: 'The p53 protein was not affected by the knockout.', mentions: [['p53', 'Gene']] },
      ],
    },
  ],
});

/** Two sentences with the same words; only the second document's is annotated (for ask boosting). */
export const DOC_D = doc({
  id: 'pmid:1004',
  title: 'Receptor assay one',
  published: '2020-01-01',
  abstract: [{ text: 'The receptor was detected in the membrane fraction.' }],
});
export const DOC_E = doc({
  id: 'pmid:1005',
  title: 'Receptor assay two',
  published: '2020-01-02',
  abstract: [{ text: 'The receptor was detected in the membrane fraction.', mentions: [['receptor', 'Gene']] }],
});

export const CORPUS = [DOC_A, DOC_B, DOC_C, DOC_D, DOC_E];

export function corpusOps(docs: DocSpec[] = CORPUS) {
  return docs.flatMap((d) => [
    { op: 'upsertArticle' as const, article: article(d) },
    { op: 'upsertAnnotation' as const, annotation: annotation(d) },
  ]);
}

/** Counts of the standard corpus. */
export const CORPUS_COUNTS = {
  articles: 5,
  sentences: 3 + 2 + 3 + 1 + 1,
  mentions: 6 + 5 + 3 + 0 + 1,
  relations: 2 + 2,
};
