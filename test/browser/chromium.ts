/**
 * The browser tier's Chromium: Debian's `chromium` package (or $LITMINE_CHROMIUM), driven by
 * playwright-core without any browser download. Where it is absent the tier reports itself
 * skipped with the reason; under CI=true its absence is an error.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { repoRoot } from '../helpers/shared-data.js';

export const CHROMIUM = process.env.LITMINE_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

if (!hasChromium && process.env.CI === 'true') {
  throw new Error(`CI=true but there is no Chromium at ${CHROMIUM} (apt-get install chromium, or set LITMINE_CHROMIUM)`);
}

export const noChromiumReason = hasChromium ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set LITMINE_CHROMIUM)`;

/** Screenshots of the browser tier (git-ignored). */
export const SCREENSHOTS = join(repoRoot, 'test-results', 'browser');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}
