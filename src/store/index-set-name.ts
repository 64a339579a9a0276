/**
 * Index-set names, the same on both stores: lower case, runs of other characters than a-z, 0-9,
 * '_' and '-' become '-', so a name is safe in an Elasticsearch index name and in a file name.
 *
 *   indexSetName('Models V2') → 'models-v2';  indexSetName('../x') → LITMINE_INDEX_SET
 */
import { LitmineError } from '../errors.js';

export function indexSetName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  if (!s || s.startsWith('-') || s.startsWith('_'))
    throw new LitmineError('LITMINE_INDEX_SET', `not a usable index set name: ${JSON.stringify(name)}`);
  return s;
}

export function unknownIndexSet(name: string, known: string[]): LitmineError {
  return new LitmineError('LITMINE_INDEX_SET', `no index set ${name} (there are: ${known.join(', ') || 'none'})`);
}

export function liveIndexSet(name: string): LitmineError {
  return new LitmineError(
    'LITMINE_INDEX_SET',
    `index set ${name} is live (queries answer from it); swap to another set before dropping it`,
  );
}
