/**
 * Expands `--from` arguments (files, directories, globs with *, **, ?, {a,b}) into the sorted list of
 * XML inputs a backfill reads, counting what it leaves out (DTDs, READMEs, .txt). Sorting by full
 * path makes the order — and so every cursor — the same on every run.
 *
 *   listInputFiles(['data/pubmed', 'more/*.xml.gz']) → { files: ['/abs/data/pubmed/a.xml', …], skipped: 2 }
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { LitmineError } from '../../src/errors.js';
import picomatch from 'picomatch';

export const XML_INPUT = /\.(xml|nxml)(\.gz)?$/i;

export interface InputFiles {
  /** Absolute paths of XML inputs, sorted by code point. */
  files: string[];
  /** Regular files found that are not XML inputs. */
  skipped: number;
  skippedFiles: string[];
}

export function listInputFiles(paths: string | string[]): InputFiles {
  const found = new Set<string>();
  for (const path of Array.isArray(paths) ? paths : [paths]) {
    for (const file of expand(path)) found.add(file);
  }
  const all = [...found].sort(byCodePoint);
  const files = all.filter((f) => XML_INPUT.test(f));
  const skippedFiles = all.filter((f) => !XML_INPUT.test(f));
  return { files, skipped: skippedFiles.length, skippedFiles };
}

function expand(path: string): string[] {
  if (/[*?{[]/.test(path)) return expandGlob(path);
  const abs = resolve(path);
  if (!existsSync(abs)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${path}: no such file or directory`);
  return statSync(abs).isDirectory() ? walk(abs) : [abs];
}

function expandGlob(pattern: string): string[] {
  const abs = resolve(pattern);
  const parts = abs.split(sep);
  const firstWild = parts.findIndex((p) => /[*?{[]/.test(p));
  const base = parts.slice(0, firstWild).join(sep) || sep;
  const rest = parts.slice(firstWild).join('/');
  if (!existsSync(base)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${pattern}: ${base} does not exist`);
  const isMatch = picomatch(rest);
  // picomatch: `**` crosses folders, `*` and `?` do not, `{a,b}` alternates, `[…]` is a class.
  const matches = walk(base).filter((file) =>
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

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile())) out.push(full);
  }
  return out;
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
