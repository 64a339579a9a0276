/**
 * Names a full file system: which mount holds a path, its type, and how many bytes are left, for
 * the LITMINE_DISK_FULL error the embedded log, store and cursor file raise instead of retrying a
 * write that cannot succeed (SQLITE_FULL, ENOSPC, EDQUOT).
 *
 *   if (isDiskFull(err)) throw diskFullError('data/log.sqlite', 'embedded log commit failed', err);
 */
import { readFileSync, statfsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { LitmineError } from './errors.js';

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT');
}

export interface FileSystemInfo {
  /** Mount point holding the path (from /proc/self/mountinfo; the path's folder elsewhere). */
  mount: string;
  type: string | null;
  freeBytes: number | null;
  totalBytes: number | null;
}

export function fileSystemOf(path: string): FileSystemInfo {
  const dir = resolve(dirname(path));
  let mount = dir;
  let type: string | null = null;
  try {
    let best = '';
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      // id parent major:minor root mount-point options ... - fstype source super-options
      const fields = line.split(' ');
      const point = fields[4]?.replace(/\\040/g, ' ');
      if (!point) continue;
      const inside = dir === point || dir.startsWith(point.endsWith(sep) ? point : point + sep);
      if (inside && point.length >= best.length) {
        best = point;
        type = fields[fields.indexOf('-') + 1] ?? null;
      }
    }
    if (best) mount = best;
  } catch {
    // not Linux: the folder stands for its file system
  }
  // The folder may not exist yet (a data directory being created): its nearest existing ancestor
  // is on the same file system.
  for (let at = dir; ; at = dirname(at)) {
    try {
      const s = statfsSync(at);
      return { mount, type, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch {
      if (dirname(at) === at) return { mount, type, freeBytes: null, totalBytes: null };
    }
  }
}

export function diskFullError(path: string, what: string, cause: unknown): LitmineError {
  const fs = fileSystemOf(path);
  const free = fs.freeBytes === null ? 'free space unknown' : `${fs.freeBytes} bytes free of ${fs.totalBytes}`;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new LitmineError(
    'LITMINE_DISK_FULL',
    `the file system at ${fs.mount}${fs.type ? ` (${fs.type})` : ''} holding ${path} is full (${free}): ${what}: ${detail}; free space there and rerun`,
    { cause },
  );
}
