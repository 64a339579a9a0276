/**
 * The normalization dictionary's SQLite layout, shared by the builder and the reader.
 * `names` holds one row per (lookup key, concept): exact keys and word-order-free keys of every name;
 * `kind` bits say which (NAME_KIND). Concepts carry their preferred name, types, prior and synonyms.
 * `lexicon` holds the (mention key, concept, type) pairs of an annotated corpus given with `--lexicon`
 * (BC5CDR training gold), with how often each was seen.
 *
 *   data/vocab/dictionary.sqlite  (litmine vocab build --from ../shared/data/vocab)
 */
export const DICTIONARY_FILE = 'dictionary.sqlite';
export const DICTIONARY_FORMAT = 1;

/** Bits of `names.kind`; 0 = the exact key of the preferred name, and a lower kind is a better match. */
export const NAME_KIND = {
  /** The key comes from a synonym, not the preferred name. */
  synonym: 1,
  /** The name came from another vocabulary mapped onto this concept (a MONDO synonym of a MeSH descriptor). */
  mapped: 2,
  /** A word-order-free key (bagKey), not an exact one. */
  bag: 4,
} as const;

export const DICTIONARY_DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (reader TEXT NOT NULL, file TEXT NOT NULL, version TEXT, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, concepts INTEGER NOT NULL);
CREATE TABLE concepts (cid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, types INTEGER NOT NULL, name TEXT NOT NULL, prior REAL NOT NULL DEFAULT 0, synonyms TEXT NOT NULL DEFAULT '');
CREATE TABLE names (key TEXT NOT NULL, cid INTEGER NOT NULL, kind INTEGER NOT NULL, PRIMARY KEY (key, cid)) WITHOUT ROWID;
CREATE TABLE stops (cid INTEGER NOT NULL, pattern TEXT NOT NULL);
CREATE TABLE lexicon (key TEXT NOT NULL, cid INTEGER NOT NULL, type INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (key, cid, type)) WITHOUT ROWID;
`;
