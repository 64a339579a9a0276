/**
 * What a fault test counts, by document id: the articles expected (latest non-null value per key in
 * the articles topic), the annotations that reached the annotations topic (read_committed; copies
 * per document), the dead letters (by code), and what the store holds (article ids, sentences).
 * `verdict` turns them into lost / duplicated figures, and `report` keeps each test's line for the
 * README's guarantees table.
 *
 *   const c = await logCounts(log, topics); t.deepEqual(verdict(c, await sqliteStoreIds(dir)), { lost: 0, duplicated: 0, … });
 */
import Database from 'better-sqlite3';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '../../src/log/log.js';
import type { Annotation } from '../../src/records/types.js';

export interface Topics {
  articles: string;
  annotations: string;
  entities: string;
  relations: string;
  deadLetters: string;
}

export interface LogCounts {
  expected: Set<string>;
  /** Non-null article messages per key: an article sent twice (in two input files) is annotated twice. */
  articleCopies: Map<string, number>;
  /** Annotation copies per document id (read_committed). */
  annotations: Map<string, number>;
  /** Sentences of the latest annotation of each expected document. */
  sentences: number;
  deadLetters: { code: string; key: string | null; message: string }[];
}

export async function logCounts(log: Log, topics: Topics): Promise<LogCounts> {
  const latest = new Map<string, boolean>();
  const articleCopies = new Map<string, number>();
  for (const m of await log.readAll(topics.articles, { readCommitted: true })) {
    if (!m.key) continue;
    latest.set(m.key, m.value !== null);
    if (m.value !== null) articleCopies.set(m.key, (articleCopies.get(m.key) ?? 0) + 1);
  }
  const expected = new Set([...latest].filter(([, live]) => live).map(([k]) => k));
  const annotations = new Map<string, number>();
  const lastAnnotation = new Map<string, Annotation>();
  for (const m of await log.readAll(topics.annotations, { readCommitted: true })) {
    if (m.value === null) continue;
    const a = JSON.parse(m.value.toString()) as Annotation;
    annotations.set(a.documentId, (annotations.get(a.documentId) ?? 0) + 1);
    lastAnnotation.set(a.documentId, a);
  }
  let sentences = 0;
  for (const id of expected) sentences += lastAnnotation.get(id)?.sentences.length ?? 0;
  const deadLetters = (await log.readAll(topics.deadLetters, { readCommitted: true })).map((m) => {
    const d = JSON.parse(m.value!.toString()) as { code: string; key: string | null; message: string };
    return { code: d.code, key: d.key, message: d.message };
  });
  return { expected, articleCopies, annotations, sentences, deadLetters };
}

export interface StoreIds {
  articles: string[];
  sentences: number;
}

export function sqliteStoreIds(dataDir: string): StoreIds {
  const db = new Database(join(dataDir, 'store.sqlite'), { readonly: true });
  try {
    const articles = (db.prepare('SELECT id FROM articles').all() as { id: string }[]).map((r) => r.id);
    const sentences = (db.prepare('SELECT count(*) AS n FROM sentences').get() as { n: number }).n;
    return { articles, sentences };
  } finally {
    db.close();
  }
}

export async function elasticsearchStoreIds(url: string, prefix: string): Promise<StoreIds> {
  await fetch(`${url}/${prefix}-*/_refresh`, { method: 'POST' });
  const res = await fetch(`${url}/${prefix}-articles/_search?size=10000&_source=false`);
  const body = (await res.json()) as { hits: { hits: { _id: string }[] } };
  const count = (await (await fetch(`${url}/${prefix}-sentences/_count`)).json()) as { count: number };
  return { articles: body.hits.hits.map((h) => h._id), sentences: count.count };
}

export interface Verdict {
  expected: number;
  annotated: number;
  /** Expected documents with no annotation, or missing from the store. */
  lost: number;
  /** Annotations beyond one per article message (read_committed), plus repeated article ids in the store. */
  duplicated: number;
  deadLettered: number;
  stored: number;
  /** Sentences of the annotations vs sentences in the store: equal when none is lost or doubled. */
  sentencesExpected: number;
  sentencesStored: number;
}

export function verdict(c: LogCounts, store: StoreIds, options: { deadLetteredIds?: Set<string> } = {}): Verdict {
  const excused = options.deadLetteredIds ?? new Set(c.deadLetters.map((d) => d.key ?? ''));
  const inStore = new Set(store.articles);
  let lost = 0;
  for (const id of c.expected) {
    if (excused.has(id)) continue;
    if (!c.annotations.has(id) || !inStore.has(id)) lost++;
  }
  let duplicated = 0;
  for (const [id, n] of c.annotations) duplicated += Math.max(0, n - (c.articleCopies.get(id) ?? 1));
  duplicated += store.articles.length - inStore.size;
  return {
    expected: c.expected.size,
    annotated: c.annotations.size,
    lost,
    duplicated,
    deadLettered: c.deadLetters.length,
    stored: inStore.size,
    sentencesExpected: c.sentences,
    sentencesStored: store.sentences,
  };
}

/** One line per fault for the README table (LITMINE_FAULTS_REPORT, default /tmp/litmine-faults.jsonl). */
export function report(fault: string, figures: Record<string, unknown>): void {
  const path = process.env.LITMINE_FAULTS_REPORT ?? '/tmp/litmine-faults.jsonl';
  appendFileSync(path, `${JSON.stringify({ fault, at: new Date().toISOString(), ...figures })}\n`);
}
