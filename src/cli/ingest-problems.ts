/**
 * The ingest summary's lines for what did not go in: the files whose records went to the
 * dead-letter topic, with how many under each code, and the inputs skipped because they cannot be
 * read, each with its code and reason, and the articles control characters were dropped from. Bounded, so a run over thousands of bad files stays readable
 * (`--json` has them all).
 *
 *   for (const line of ingestProblemLines(stats, 'litmine.dead-letters')) io.out(line);
 *   //   dead-lettered to litmine.dead-letters: a.xml (2 LITMINE_PARSE_XML), b.xml (1 LITMINE_RECORD_INVALID)
 *   //   skipped in/link.xml: LITMINE_INPUT_NOT_FOUND: a symbolic link to a missing file
 */
import type { IngestStats } from '../../topologies/ingest.js';

const SHOWN = 20;

export function ingestProblemLines(
  stats: Pick<IngestStats, 'deadLettered' | 'skippedInputs' | 'controlCharacters'>,
  deadLetterTopic: string,
): string[] {
  const lines: string[] = [];
  const control = stats.controlCharacters;
  if (control && control.articles > 0) {
    const files = Object.entries(control.files);
    lines.push(
      `  ${control.articles} article${control.articles === 1 ? '' : 's'} kept with ${control.characters} control character${control.characters === 1 ? '' : 's'} dropped (${files
        .slice(0, SHOWN)
        .map(([f, n]) => `${f}: ${n}`)
        .join(', ')}${more(files.length)})`,
    );
  }
  const files = Object.entries(stats.deadLettered ?? {});
  if (files.length > 0) {
    const shown = files.slice(0, SHOWN).map(
      ([file, codes]) =>
        `${file} (${Object.entries(codes)
          .map(([code, n]) => `${n} ${code}`)
          .join(', ')})`,
    );
    lines.push(`  dead-lettered to ${deadLetterTopic}: ${shown.join(', ')}${more(files.length)}`);
  }
  const skipped = stats.skippedInputs ?? [];
  for (const s of skipped.slice(0, SHOWN)) lines.push(`  skipped ${s.file}: ${s.code}: ${s.reason}`);
  if (skipped.length > SHOWN) lines.push(`  skipped${more(skipped.length).replace(/^,/, '')}`);
  return lines;
}

function more(total: number): string {
  return total > SHOWN ? `, and ${total - SHOWN} more files` : '';
}
