/**
 * Helpers for the integration tier's pipeline tests: a data directory with a config file naming
 * unique topics and index prefix, the `litmine` command as a child process (as operators run it),
 * and the real XML subsets the tests feed in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueSuffix } from '../log/log-contract.js';
import { repoRoot, sharedPath } from '../helpers/shared-data.js';

export const BIN = join(repoRoot, 'bin', 'litmine.js');

/** ~195 real PubMed records (with a DeleteCitation) and 8 PMC full texts. */
export const SMALL_XML = () => [sharedPath('pubmed-xml'), sharedPath('pmc-jats')];

/** The PubMed records alone: abstracts keep model time short where the log or store is under test. */
export const ABSTRACTS_XML = () => [sharedPath('pubmed-xml')];

export interface TestSetup {
  dir: string;
  config: string;
  suffix: string;
  topics: { articles: string; annotations: string; entities: string; relations: string; deadLetters: string };
}

/** Topic names no other test run uses. */
export function uniqueTopics(suffix: string = uniqueSuffix()): TestSetup['topics'] {
  return {
    articles: `it.${suffix}.articles`,
    annotations: `it.${suffix}.annotations`,
    entities: `it.${suffix}.entities`,
    relations: `it.${suffix}.relations`,
    deadLetters: `it.${suffix}.dead-letters`,
  };
}

export function setupDataDir(extra: Record<string, unknown> = {}): TestSetup {
  const suffix = uniqueSuffix();
  const dir = mkdtempSync(join(tmpdir(), 'litmine-it-'));
  const topics = uniqueTopics(suffix);
  const config = join(dir, 'litmine.config.json');
  writeFileSync(config, JSON.stringify({ topics, ...extra }, null, 2));
  return { dir, config, suffix, topics };
}

export interface Child {
  process: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<number | null>;
}

export function startLitmine(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr!.on('data', (d) => (err += d));
  child.stdout!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { process: child, stderr: () => err, stdout: () => out, exit };
}

export async function runLitmine(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string; stdout: string }> {
  const child = startLitmine(args, env);
  const code = await child.exit;
  return { code, output: `${child.stdout()}\n${child.stderr()}`, stdout: child.stdout() };
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}
