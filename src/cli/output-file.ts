/**
 * A command's --out file, written so that a careless path loses nothing: never inside the data
 * directory (the log, the store and the cursors live there), never over an existing file unless
 * forced, and through a temporary name in the same folder moved into place, so a failed or
 * interrupted write leaves the old file (or none) rather than half a new one.
 *
 *   const out = checkOutputFile('cisplatin.xml', { dataDir: config.dataDir, force: false });   // before the work
 *   writeOutputFile(out, text);
 */
import { existsSync, linkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LitmineError } from '../errors.js';

export interface OutputFile {
  /** The real path the text goes to. */
  path: string;
  force: boolean;
  flag: string;
}

/** Refuses a path inside the data directory, a folder, or (without force) an existing file. */
export function checkOutputFile(path: string, options: { dataDir: string; force: boolean; flag?: string }): OutputFile {
  const flag = options.flag ?? '--out';
  const target = resolve(path);
  const folder = dirname(target);
  if (!existsSync(folder)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${flag} ${path}: the folder ${folder} does not exist`);
  // Compared through real paths, so a symlink or ../ cannot reach the data directory another way.
  const real = join(realpathSync(folder), basename(target));
  if (isInside(real, realOrResolved(options.dataDir))) {
    throw new LitmineError('LITMINE_USAGE', `${flag} ${path} is inside the data directory ${resolve(options.dataDir)}; write it elsewhere`);
  }
  if (existsSync(real) && statSync(real).isDirectory()) throw new LitmineError('LITMINE_USAGE', `${flag} ${path} is a folder; name a file`);
  if (existsSync(real) && !options.force) throw exists(flag, path);
  return { path: real, force: options.force, flag };
}

/** Writes the text to a temporary name beside the file, then moves it in (without force, only if still absent). */
export function writeOutputFile(out: OutputFile, text: string): void {
  const temporary = join(dirname(out.path), `.${basename(out.path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    if (out.force) renameSync(temporary, out.path);
    else {
      // A hard link fails when the name exists, so a file created meanwhile is not replaced either.
      try {
        linkSync(temporary, out.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw exists(out.flag, out.path);
        throw err;
      }
    }
  } finally {
    rmSync(temporary, { force: true });
  }
}

function exists(flag: string, path: string): LitmineError {
  return new LitmineError('LITMINE_USAGE', `${flag} ${path} already exists; pass --force to replace it`);
}

function realOrResolved(path: string): string {
  const full = resolve(path);
  return existsSync(full) ? realpathSync(full) : full;
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel));
}
