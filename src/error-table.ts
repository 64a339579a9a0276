/**
 * Renders the error registry as the README's markdown table; a test keeps the two in step.
 *
 *   errorTable() → "| code | retriable | meaning |\n|---|---|---|\n| `LITMINE_CONFIG` | no | … |"
 */
import { ERROR_CODES } from './errors.js';

export function errorTable(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, { retriable, summary }]) => `| \`${code}\` | ${retriable ? 'yes' : 'no'} | ${summary} |`,
  );
  return ['| code | retriable | meaning |', '|---|---|---|', ...rows].join('\n');
}
