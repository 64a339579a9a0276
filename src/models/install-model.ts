/**
 * Installs a promoted model folder as the default: copies it into the data directory
 * (<dataDir>/models/<task>/<version>/, so the installation's committed models stay untouched and the
 * previous default remains where it was) and records that path as models.ner / models.re in the
 * configuration file litmine reads (--config, $LITMINE_CONFIG, or ./litmine.config.json), keeping
 * every other setting in the file.
 *
 *   const { dir, configFile } = installModel('ner', 'models/build/ner-v2', 'v2', { dataDir, configFile });
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LitmineError } from '../errors.js';
import type { PromoteTask } from './evaluation-sets.js';

export function installModel(
  task: PromoteTask,
  source: string,
  version: string,
  where: { dataDir: string; configFile: string },
): { dir: string; configFile: string; previous: string | null } {
  const safe = version.replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
  const dir = resolve(where.dataDir, 'models', task, safe);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(source, tmp, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);

  const configFile = resolve(where.configFile);
  let config: Record<string, unknown> = {};
  if (existsSync(configFile)) {
    try {
      config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new LitmineError('LITMINE_CONFIG', `${configFile}: not valid JSON; the model was copied to ${dir} but not recorded`, {
        cause: err,
      });
    }
  }
  const models = { ...((config.models as Record<string, unknown> | undefined) ?? {}) };
  const previous = typeof models[task] === 'string' ? (models[task] as string) : null;
  models[task] = dir;
  config.models = models;
  writeFileSync(`${configFile}.tmp`, `${JSON.stringify(config, null, 2)}\n`);
  renameSync(`${configFile}.tmp`, configFile);
  return { dir, configFile, previous };
}

export function defaultConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.LITMINE_CONFIG ?? join(process.cwd(), 'litmine.config.json');
}
