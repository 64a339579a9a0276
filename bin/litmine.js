#!/usr/bin/env node
// Entry point of the `litmine` command: runs the compiled CLI (built by `npm install` through the
// prepare script), or the TypeScript sources through tsx when no build is present.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli.js');
if (existsSync(built)) {
  const { main } = await import(pathToFileURL(built).href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(pathToFileURL(join(root, 'src', 'cli.ts')).href);
  process.exitCode = await main(process.argv.slice(2));
}
