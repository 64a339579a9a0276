/**
 * Structured events (pino) beside the human lines on stderr, which stay as they are. Off unless
 * asked for: LITMINE_LOG_FORMAT=json writes JSON events to stderr (for containers that collect it),
 * LITMINE_LOG_FILE=PATH appends them to a file; LITMINE_LOG_LEVEL picks the level (default info).
 * The CLI logs every command's start, end and its stderr lines; topologies log each batch (debug)
 * and each dead letter (warn). Secrets never reach it: messages already redact them.
 *
 *   logger.info({ event: 'command.end', command: 'run', exitCode: 0, seconds: 41.2 });
 */
import { pino, type Logger } from 'pino';

export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const level = env.LITMINE_LOG_LEVEL ?? 'info';
  const base = { name: 'litmine' };
  if (env.LITMINE_LOG_FILE) return pino({ level, base }, pino.destination({ dest: env.LITMINE_LOG_FILE, append: true, sync: true }));
  if (env.LITMINE_LOG_FORMAT === 'json') return pino({ level, base }, pino.destination({ fd: 2, sync: true }));
  return pino({ level: 'silent', base });
}

/** The process-wide logger, configured from the environment at first use. */
export const logger: Logger = createLogger();
