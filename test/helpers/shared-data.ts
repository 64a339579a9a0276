/**
 * The shared-data tier: tests over the real corpora and XML in ../shared/data (or
 * $LITMINE_SHARED_DATA). Where the folder is absent they report themselves skipped, so `npm test`
 * passes on a fresh clone; with LITMINE_REQUIRE_SHARED_DATA=1 (as .ci/run sets) absence is an error.
 *
 *   sharedTest('every PubMed file parses', async (t) => { const dir = sharedPath('pubmed-xml'); ... });
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SHARED_DATA_DIR = process.env.LITMINE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
export const SHARED_GOLDEN_DIR = process.env.LITMINE_SHARED_GOLDEN ?? resolve(SHARED_DATA_DIR, '..', 'golden');

export const hasSharedData = existsSync(SHARED_DATA_DIR);

if (!hasSharedData && process.env.LITMINE_REQUIRE_SHARED_DATA === '1') {
  throw new Error(`LITMINE_REQUIRE_SHARED_DATA=1 but ${SHARED_DATA_DIR} does not exist (set LITMINE_SHARED_DATA)`);
}

/** A test that runs where the shared data exists and is reported as skipped elsewhere. */
export const sharedTest = hasSharedData ? test : test.skip;

/** Path of a file or folder inside the shared data. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DATA_DIR, ...parts);
}

export function goldenPath(...parts: string[]): string {
  return join(SHARED_GOLDEN_DIR, ...parts);
}

export { repoRoot };
