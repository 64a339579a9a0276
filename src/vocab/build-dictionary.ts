/**
 * `litmine vocab build`: reads every recognised vocabulary file under the given folders (staged or
 * official formats, see vocab-readers.ts) and writes one SQLite dictionary of lookup keys → concepts,
 * with the sources (file, reader, version, sha256) it was built from. Written to a temporary file and
 * renamed, so a reader never sees half a dictionary.
 *
 *   const summary = await buildDictionary({ from: ['../shared/data/vocab'], out: 'data/vocab/dictionary.sqlite' });
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { LitmineError } from '../errors.js';
import { bagKey, exactKey } from '../norm/normalize-string.js';
import { withoutSalt } from '../norm/variants.js';
import { DICTIONARY_DDL, DICTIONARY_FORMAT, NAME_KIND } from './dictionary-schema.js';
import { readPubtatorLexicon } from './read-pubtator-lexicon.js';
import { buildRank, readerFor } from './vocab-readers.js';
import { TYPE, type VocabConcept, type VocabReader, isStopEntry, typeBit } from './vocab-concept.js';

export interface BuildOptions {
  from: string[];
  out: string;
  /** PubTator files with gold identifiers whose mentions become the corpus lexicon. */
  lexicon?: string[];
  /** Bytes read so far out of the total, after each step. */
  onProgress?: (bytes: number, totalBytes: number) => void;
  /** A phase that reports no bytes (sorting the keys into their index). */
  onPhase?: (message: string) => void;
}

export interface BuildSummary {
  out: string;
  files: { file: string; reader: string; version?: string; concepts: number }[];
  skipped: string[];
  concepts: number;
  names: number;
  bytes: number;
  seconds: number;
}

/** Synonyms kept per concept for display (`litmine entity`); every synonym is a lookup key regardless. */
const SYNONYMS_KEPT = 12;

/** Synonyms that differ from the name and each other after normalization, at most SYNONYMS_KEPT. */
function displaySynonyms(name: string, synonyms: string[]): string {
  const seen = new Set([exactKey(name)]);
  const out: string[] = [];
  for (const s of synonyms) {
    const k = exactKey(s);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s.replaceAll('|', '/'));
    if (out.length >= SYNONYMS_KEPT) break;
  }
  return out.join('|');
}

function listFiles(dir: string): string[] {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${dir}: no such file or directory`);
  if (st.isFile()) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function buildDictionary(options: BuildOptions): Promise<BuildSummary> {
  const started = Date.now();
  const found: { path: string; reader: VocabReader }[] = [];
  const skipped: string[] = [];
  for (const dir of options.from)
    for (const path of listFiles(dir)) {
      const reader = readerFor(path);
      if (reader) found.push({ path, reader });
      else skipped.push(path);
    }
  if (found.length === 0)
    throw new LitmineError(
      'LITMINE_USAGE',
      `no vocabulary file found under ${options.from.join(', ')} (MeSH, HGNC, gene_info, names.dmp, MONDO, LINNAEUS)`,
    );
  found.sort((a, b) => buildRank(a.path, a.reader) - buildRank(b.path, b.reader));
  const totalBytes = found.reduce((n, f) => n + statSync(f.path).size, 0);

  mkdirSync(dirname(options.out), { recursive: true });
  const tmp = `${options.out}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.exec(DICTIONARY_DDL);
  db.exec('CREATE TEMP TABLE raw_names (key TEXT NOT NULL, cid INTEGER NOT NULL, kind INTEGER NOT NULL)');
  const insertConcept = db.prepare('INSERT INTO concepts (cid, id, types, name, prior, synonyms) VALUES (?, ?, ?, ?, ?, ?)');
  const insertName = db.prepare('INSERT INTO raw_names (key, cid, kind) VALUES (?, ?, ?)');
  const insertStop = db.prepare('INSERT INTO stops (cid, pattern) VALUES (?, ?)');
  const insertSource = db.prepare('INSERT INTO sources (reader, file, version, sha256, bytes, concepts) VALUES (?, ?, ?, ?, ?, ?)');

  const cids = new Map<string, number>();
  const types = new Map<string, number>();
  let readBytes = 0;
  const files: BuildSummary['files'] = [];

  const addNames = (cid: number, conceptTypes: number, preferred: string, synonyms: string[], mapped: boolean) => {
    const bagged = (conceptTypes & (TYPE.Disease | TYPE.Chemical)) !== 0;
    const base = mapped ? NAME_KIND.mapped : 0;
    for (const [i, name] of [preferred, ...synonyms].entries()) {
      if (!name) continue;
      const kind = base | (i === 0 ? 0 : NAME_KIND.synonym);
      const key = exactKey(name);
      if (!key) continue;
      insertName.run(key, cid, kind);
      // A salt's name also names the drug ("Quetiapine Fumarate" → quetiapine), as a synonym.
      const salt = conceptTypes & TYPE.Chemical ? withoutSalt(name) : undefined;
      if (salt) insertName.run(exactKey(salt), cid, kind | NAME_KIND.synonym);
      if (bagged) {
        const bag = bagKey(name);
        if (bag && bag !== key) insertName.run(bag, cid, kind | NAME_KIND.bag);
      }
    }
  };

  const addConcept = (c: VocabConcept): number => {
    let t = c.types;
    if (t === 0) {
      // A supplementary concept is what its descriptors are; unmapped ones are chemicals.
      for (const d of c.mapsTo ?? []) t |= types.get(d) ?? 0;
      if (t === 0) t = TYPE.Chemical;
    }
    const known = cids.get(c.id);
    if (known !== undefined) {
      addNames(known, types.get(c.id) ?? t, '', [c.name, ...c.synonyms], false);
      return known;
    }
    const cid = cids.size + 1;
    const name = c.name || c.synonyms[0] || c.id;
    cids.set(c.id, cid);
    types.set(c.id, t);
    insertConcept.run(cid, c.id, t, name, c.prior ?? 0, displaySynonyms(name, c.synonyms));
    addNames(cid, t, name, c.synonyms, false);
    return cid;
  };

  for (const { path, reader } of found) {
    let concepts = 0;
    const context = {
      onBytes: (n: number) => {
        readBytes += n;
      },
      onProgress: () => options.onProgress?.(readBytes, totalBytes),
    };
    const fileStart = readBytes;
    let batch: (() => void)[] = [];
    const flush = db.transaction((jobs: (() => void)[]) => {
      for (const j of jobs) j();
    });
    for await (const item of reader.read(path, context)) {
      if (isStopEntry(item)) {
        batch.push(() => {
          const cid = cids.get(item.id);
          if (cid !== undefined) insertStop.run(cid, item.pattern);
        });
      } else {
        concepts++;
        batch.push(() => {
          // MONDO terms lend their names to the MeSH disease descriptors they cross-reference.
          if (reader.name === 'mondo-json')
            for (const d of item.mapsTo ?? []) {
              const cid = cids.get(d);
              if (cid !== undefined && ((types.get(d) ?? 0) & TYPE.Disease) !== 0)
                addNames(cid, TYPE.Disease, item.name, item.synonyms, true);
            }
          addConcept(item);
        });
      }
      if (batch.length >= 5000) {
        flush(batch);
        batch = [];
      }
    }
    flush(batch);
    const st = statSync(path);
    readBytes = fileStart + st.size;
    options.onProgress?.(readBytes, totalBytes);
    const version = reader.version?.();
    insertSource.run(reader.name, path, version ?? null, await sha256(path), st.size, concepts);
    files.push({ file: relative(process.cwd(), path) || path, reader: reader.name, version, concepts });
  }

  for (const file of options.lexicon ?? []) {
    const entries = readPubtatorLexicon(file);
    const counts = new Map<string, { key: string; cid: number; type: number; count: number }>();
    db.transaction(() => {
      for (const e of entries) {
        const type = typeBit(e.type);
        const key = exactKey(e.text);
        if (!type || !key) continue;
        // An identifier the vocabularies no longer carry (a retired MeSH UI) still names the mention.
        const cid = cids.get(e.id) ?? addConcept({ id: e.id, types: type, name: e.text, synonyms: [] });
        const k = `${key}\u0000${cid}\u0000${type}`;
        const c = counts.get(k) ?? { key, cid, type, count: 0 };
        c.count++;
        counts.set(k, c);
      }
      const insert = db.prepare('INSERT INTO lexicon (key, cid, type, count) VALUES (?, ?, ?, ?)');
      for (const c of counts.values()) insert.run(c.key, c.cid, c.type, c.count);
    })();
    const st = statSync(file);
    insertSource.run('pubtator-lexicon', file, `${entries.length} mentions`, await sha256(file), st.size, counts.size);
    files.push({
      file: relative(process.cwd(), file) || file,
      reader: 'pubtator-lexicon',
      version: `${entries.length} mentions`,
      concepts: counts.size,
    });
  }

  const raw = (db.prepare('SELECT COUNT(*) AS n FROM raw_names').get() as { n: number }).n;
  options.onPhase?.(`indexing ${raw} lookup keys (one sort, no progress until done)`);
  db.exec('INSERT INTO names (key, cid, kind) SELECT key, cid, MIN(kind) FROM raw_names GROUP BY key, cid ORDER BY key, cid');
  db.exec('DROP TABLE raw_names');
  const names = (db.prepare('SELECT COUNT(*) AS n FROM names').get() as { n: number }).n;
  const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  meta.run('format', String(DICTIONARY_FORMAT));
  meta.run('builtAt', new Date().toISOString());
  meta.run('concepts', String(cids.size));
  meta.run('names', String(names));
  db.exec('ANALYZE');
  db.close();
  renameSync(tmp, options.out);
  return {
    out: options.out,
    files,
    skipped,
    concepts: cids.size,
    names,
    bytes: statSync(options.out).size,
    seconds: (Date.now() - started) / 1000,
  };
}
