/**
 * Expands `--from` arguments (files, directories, globs with *, **, ?, {a,b}) into the sorted list of
 * XML inputs a backfill reads, counting what it leaves out (DTDs, READMEs, .txt) and naming what
 * it cannot read (a symbolic link to a missing file), so one bad entry never stops the others.
 * Sorting by full path makes the order — and so every cursor — the same on every run.
 *
 *   listInputFiles(['data/pubmed', 'more/*.xml.gz']) → { files: ['/abs/data/pubmed/a.xml', …], skipped: 2 }
 */
import { existsSync, readdirSync, type Stats, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { LitmineError } from '../../src/errors.js';
import picomatch from 'picomatch';
import type { SkippedInput } from '../connector.js';

export const XML_INPUT = /\.(xml|nxml)(\.gz)?$/i;

export interface InputFiles {
  /** Absolute paths of XML inputs, sorted by code point. */
  files: string[];
  /** Regular files found that are not XML inputs. */
  skipped: number;
  skippedFiles: string[];
  /** Entries found in folders that cannot be read as files (dangling symbolic links). */
  unreadable: SkippedInput[];
}

export function listInputFiles(paths: string | string[]): InputFiles {
  const found = new Set<string>();
  const unreadable = new Map<string, SkippedInput>();
  for (const path of Array.isArray(paths) ? paths : [paths]) {
    for (const file of expand(path, unreadable)) found.add(file);
  }
  const all = [...found].sort(byCodePoint);
  const files = all.filter((f) => XML_INPUT.test(f));
  const skippedFiles = all.filter((f) => !XML_INPUT.test(f));
  return {
    files,
    skipped: skippedFiles.length,
    skippedFiles,
    unreadable: [...unreadable.values()].sort((a, b) => byCodePoint(a.file, b.file)),
  };
}

type Unreadable = Map<string, SkippedInput>;

function expand(path: string, unreadable: Unreadable): string[] {
  if (/[*?{[]/.test(path)) return expandGlob(path, unreadable);
  const abs = resolve(path);
  // A path named on the command line must exist; only what a folder holds is skipped.
  if (!existsSync(abs)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${path}: no such file or directory`);
  return statSync(abs).isDirectory() ? walk(abs, unreadable) : [abs];
}

function expandGlob(pattern: string, unreadable: Unreadable): string[] {
  const abs = resolve(pattern);
  const parts = abs.split(sep);
  const firstWild = parts.findIndex((p) => /[*?{[]/.test(p));
  const base = parts.slice(0, firstWild).join(sep) || sep;
  const rest = parts.slice(firstWild).join('/');
  if (!existsSync(base)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${pattern}: ${base} does not exist`);
  const isMatch = picomatch(rest);
  // picomatch: `**` crosses folders, `*` and `?` do not, `{a,b}` alternates, `[…]` is a class.
  const matches = walk(base, unreadable).filter((file) =>
    isMatch(
      file
        .slice(base.length + 1)
        .split(sep)
        .join('/'),
    ),
  );
  if (matches.length === 0) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${pattern}: no file matches`);
  return matches;
}

function walk(dir: string, unreadable: Unreadable): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, unreadable));
    else if (entry.isFile()) out.push(full);
    else if (entry.isSymbolicLink() && followLink(full, unreadable)?.isFile()) out.push(full);
  }
  return out;
}

/** What a link points to; a dangling or looping link is noted as unreadable instead of stopping the walk. */
function followLink(file: string, unreadable: Unreadable): Stats | undefined {
  let target: Stats | undefined;
  let problem = 'a symbolic link to a missing file';
  try {
    target = statSync(file, { throwIfNoEntry: false });
  } catch (err) {
    problem = `a symbolic link that cannot be followed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  if (target === undefined) unreadable.set(file, { file, code: 'LITMINE_INPUT_NOT_FOUND', reason: problem });
  return target;
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
