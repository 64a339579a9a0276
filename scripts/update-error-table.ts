// Rewrites the README's error table from the registry in src/errors.ts (npm run docs:errors).
import { readFileSync, writeFileSync } from 'node:fs';
import { errorTable } from '../src/error-table.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const updated = readme.replace(
  /<!-- error-table:start -->\n[\s\S]*?<!-- error-table:end -->/,
  `<!-- error-table:start -->\n${errorTable()}\n<!-- error-table:end -->`,
);
writeFileSync(path, updated);
console.log(updated === readme ? 'README error table already up to date' : 'README error table updated');
