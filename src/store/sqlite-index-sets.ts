/**
 * Index sets of the embedded store as files: the store file itself is set '1' (so a store made
 * before index sets is that set), every other set is a SQLite file beside it (store.sqlite →
 * store-<name>.sqlite), and a pointer file (store.sqlite.live) names the live set. A swap writes the
 * pointer to a temporary file, syncs it and renames it over the old one, so a store opened on the
 * same path reads either the old name or the new, never a torn one; SqliteStore reads the pointer at
 * the start of every call and moves to the set it names.
 *
 *   writeLive('data/store.sqlite', 'a1b2');  readLive('data/store.sqlite') → 'a1b2'
 *   setFile('data/store.sqlite', 'a1b2') → 'data/store-a1b2.sqlite'
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { diskFullError, isDiskFull } from '../disk-full.js';
import { LitmineError } from '../errors.js';
import { indexSetName } from './index-set-name.js';

/** The set held by the store file itself, live until the first swap. */
export const FIRST_SET = '1';

export function setFile(root: string, name: string): string {
  if (name === FIRST_SET) return root;
  const { stem, ext } = parts(root);
  return `${stem}-${name}${ext}`;
}

export function pointerFile(root: string): string {
  return `${root}.live`;
}

/** The live set: what the pointer names, or the first set when no swap has written one. */
export function readLive(root: string): string {
  let text: string;
  try {
    text = readFileSync(pointerFile(root), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return FIRST_SET;
    throw new LitmineError('LITMINE_STORE_UNAVAILABLE', `cannot read ${pointerFile(root)}: ${(err as Error).message}`, { cause: err });
  }
  const name = text.trim();
  try {
    return indexSetName(name);
  } catch (err) {
    throw new LitmineError('LITMINE_STORE_UNAVAILABLE', `${pointerFile(root)} names no usable index set: ${JSON.stringify(name)}`, {
      cause: err,
      retriable: false,
    });
  }
}

/** Names `name` live, atomically (temporary file, fsync, rename). */
export function writeLive(root: string, name: string): void {
  const target = pointerFile(root);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, `${name}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (err) {
    rmSync(temporary, { force: true });
    if (isDiskFull(err)) throw diskFullError(target, `swap to index set ${name} failed`, err);
    throw new LitmineError('LITMINE_STORE_UNAVAILABLE', `cannot write ${target}: ${(err as Error).message}`, { cause: err });
  }
}

/** The sets whose files exist, sorted. */
export function listSets(root: string): string[] {
  const { stem, ext } = parts(root);
  const head = `${basename(stem)}-`;
  const names = new Set<string>();
  if (existsSync(root)) names.add(FIRST_SET);
  let entries: string[] = [];
  try {
    entries = readdirSync(dirname(root));
  } catch {
    // No folder, no sets.
  }
  for (const entry of entries) {
    if (!entry.startsWith(head) || !entry.endsWith(ext)) continue;
    const name = entry.slice(head.length, entry.length - ext.length);
    if (isSetName(name)) names.add(name);
  }
  return [...names].sort();
}

/** Removes a set's database file and its WAL and shared-memory files. */
export function removeSet(root: string, name: string): void {
  const file = setFile(root, name);
  for (const suffix of ['-wal', '-shm', '-journal', '']) rmSync(`${file}${suffix}`, { force: true });
}

function isSetName(name: string): boolean {
  try {
    return indexSetName(name) === name;
  } catch {
    return false;
  }
}

/** A store path without an extension still gets '.sqlite' on its sets, apart from its -wal and -shm files. */
function parts(root: string): { stem: string; ext: string } {
  const ext = extname(root);
  return ext ? { stem: root.slice(0, -ext.length), ext } : { stem: root, ext: '.sqlite' };
}
