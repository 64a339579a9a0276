/**
 * Read side of the normalization dictionary: lookup keys → concepts, typed by entity bits, with the
 * sources it was built from. Opened read-only; concept rows are cached since a corpus repeats itself.
 *
 *   const dict = Dictionary.open('data/vocab/dictionary.sqlite');
 *   dict.lookup('cisplatin', TYPE.Chemical)  // [{ concept: { id: 'MESH:D002945', name: 'Cisplatin', … }, kind: 0 }]
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LitmineError } from '../errors.js';
import { DICTIONARY_FORMAT } from './dictionary-schema.js';

export interface Concept {
  cid: number;
  id: string;
  types: number;
  name: string;
  prior: number;
  synonyms: string[];
}

export interface DictionaryHit {
  concept: Concept;
  /** NAME_KIND bits of the best name that produced the key (0 = preferred name, exact). */
  kind: number;
}

export interface DictionarySource {
  reader: string;
  file: string;
  version: string | null;
  sha256: string;
  bytes: number;
  concepts: number;
}

export class Dictionary {
  private readonly byKey: Database.Statement;
  private readonly byCid: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly byLexicon: Database.Statement;
  private readonly byPrefix: Database.Statement;
  private readonly concepts = new Map<number, Concept>();
  private readonly stops = new Map<number, RegExp[]>();

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {
    this.byKey = db.prepare('SELECT cid, kind FROM names WHERE key = ?');
    this.byCid = db.prepare('SELECT cid, id, types, name, prior, synonyms FROM concepts WHERE cid = ?');
    this.byPrefix = db.prepare('SELECT key, cid, kind FROM names WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ? LIMIT 2000');
    this.byLexicon = db.prepare('SELECT cid, count FROM lexicon WHERE key = ? AND type = ?');
    this.byId = db.prepare('SELECT cid, id, types, name, prior, synonyms FROM concepts WHERE id = ?');
    for (const row of db.prepare('SELECT cid, pattern FROM stops').all() as { cid: number; pattern: string }[]) {
      const list = this.stops.get(row.cid) ?? [];
      list.push(new RegExp(`^(?:${row.pattern})$`));
      this.stops.set(row.cid, list);
    }
  }

  static open(path: string): Dictionary {
    if (!existsSync(path))
      throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${path}: no normalization dictionary (litmine vocab build --from DIR)`);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    const format = (db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined)?.value;
    if (format !== String(DICTIONARY_FORMAT)) {
      db.close();
      throw new LitmineError(
        'LITMINE_MODEL_LOAD',
        `${path}: dictionary format ${format ?? 'unknown'}, expected ${DICTIONARY_FORMAT}: rebuild it with litmine vocab build`,
      );
    }
    return new Dictionary(db, path);
  }

  /** Concepts whose names produce `key` and that carry one of the `types` bits. */
  lookup(key: string, types: number): DictionaryHit[] {
    if (!key) return [];
    const out: DictionaryHit[] = [];
    for (const row of this.byKey.all(key) as { cid: number; kind: number }[]) {
      const concept = this.concept(row.cid);
      if (concept && (concept.types & types) !== 0) out.push({ concept, kind: row.kind });
    }
    return out;
  }

  /** Keys starting with `prefix` whose length is within [minLength, maxLength], with their concepts of `types` (a range scan). */
  keysNear(prefix: string, minLength: number, maxLength: number, types: number): (DictionaryHit & { key: string })[] {
    const out: (DictionaryHit & { key: string })[] = [];
    for (const row of this.byPrefix.all(prefix, `${prefix}\uffff`, minLength, maxLength) as { key: string; cid: number; kind: number }[]) {
      const concept = this.concept(row.cid);
      if (concept && (concept.types & types) !== 0) out.push({ key: row.key, concept, kind: row.kind });
    }
    return out;
  }

  /** Concepts an annotated corpus gave this mention key for this type (one TYPE bit), with counts. */
  lexicon(key: string, type: number): { concept: Concept; count: number }[] {
    if (!key) return [];
    const out: { concept: Concept; count: number }[] = [];
    for (const row of this.byLexicon.all(key, type) as { cid: number; count: number }[]) {
      const concept = this.concept(row.cid);
      if (concept) out.push({ concept, count: row.count });
    }
    return out;
  }

  /** True when LINNAEUS's stop list says this surface text is not the taxon (e.g. "permits"). */
  stopped(cid: number, text: string): boolean {
    return this.stops.get(cid)?.some((re) => re.test(text)) ?? false;
  }

  concept(cid: number): Concept | undefined {
    let c = this.concepts.get(cid);
    if (!c) {
      const row = this.byCid.get(cid) as (Omit<Concept, 'synonyms'> & { synonyms: string }) | undefined;
      if (!row) return undefined;
      c = { ...row, synonyms: row.synonyms ? row.synonyms.split('|') : [] };
      if (this.concepts.size > 200_000) this.concepts.clear();
      this.concepts.set(cid, c);
    }
    return c;
  }

  conceptById(id: string): Concept | undefined {
    const row = this.byId.get(id) as { cid: number } | undefined;
    return row ? this.concept(row.cid) : undefined;
  }

  sources(): DictionarySource[] {
    return this.db.prepare('SELECT reader, file, version, sha256, bytes, concepts FROM sources').all() as DictionarySource[];
  }

  close(): void {
    this.db.close();
  }
}
