import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorTable } from '../src/error-table.js';
import { ERROR_CODES, LitmineError, asLitmineError, isRetriable } from '../src/errors.js';
import { repoRoot } from './helpers/shared-data.js';

test('the README error table mirrors the error registry', (t) => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const table = /<!-- error-table:start -->\n([\s\S]*?)\n<!-- error-table:end -->/.exec(readme)?.[1];
  t.is(table, errorTable(), 'run `npm run docs:errors`');
});

test('retriability comes from the registry unless overridden, and foreign errors are wrapped', (t) => {
  t.true(isRetriable(new LitmineError('LITMINE_STORE_UNAVAILABLE', 'es down')));
  t.false(isRetriable(new LitmineError('LITMINE_PARSE_XML', 'bad')));
  t.false(isRetriable(new LitmineError('LITMINE_STORE_UNAVAILABLE', 'bad path', { retriable: false })));
  const wrapped = asLitmineError(new TypeError('boom'));
  t.is(wrapped.code, 'LITMINE_INTERNAL');
  t.true(wrapped.cause instanceof TypeError);
  for (const code of Object.keys(ERROR_CODES)) t.regex(code, /^LITMINE_[A-Z_]+$/);
});
