/**
 * SQLite failures of the embedded log as litmine's coded errors: a busy or locked file and I/O
 * errors are LITMINE_LOG_UNAVAILABLE (wait and retry), a full disk LITMINE_DISK_FULL, the rest
 * LITMINE_LOG_PROTOCOL.
 */
import { diskFullError, isDiskFull } from '../disk-full.js';
import { LitmineError } from '../errors.js';

export function wrapSqlite(err: unknown, message: string, path: string): LitmineError {
  if (err instanceof LitmineError) return err;
  const code = (err as { code?: unknown })?.code;
  const detail = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
    return new LitmineError('LITMINE_LOG_UNAVAILABLE', `${message}: ${detail}`, { cause: err });
  }
  if (isDiskFull(err)) return diskFullError(path, message, err);
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) {
    return new LitmineError('LITMINE_LOG_UNAVAILABLE', `${message}: ${detail}`, { cause: err });
  }
  return new LitmineError('LITMINE_LOG_PROTOCOL', `${message}: ${detail}`, { cause: err });
}
