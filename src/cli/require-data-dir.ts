/**
 * A read-only command's data directory must already exist when the embedded log or store is opened
 * from it: `litmine search --data-dir dta` is a typo to report, not a new empty store answering
 * "0 matches". Only `run`, `ingest` and the other writing commands create the directory.
 *
 *   requireDataDir(config);   // openStore(config, { readOnly: true }) and openLog(config, { readOnly: true }) call it
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LitmineConfig } from '../config/config-schema.js';
import { LitmineError } from '../errors.js';

export function requireDataDir(config: Pick<LitmineConfig, 'dataDir'>): void {
  const dir = resolve(config.dataDir);
  if (existsSync(dir) && statSync(dir).isDirectory()) return;
  throw new LitmineError(
    'LITMINE_INPUT_NOT_FOUND',
    `no data directory at ${dir} (from --data-dir, $LITMINE_DATA_DIR or the config's dataDir); this command only reads one, and \`litmine run\` or \`litmine ingest\` creates it`,
  );
}
