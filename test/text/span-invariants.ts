/**
 * The contract every segmentation must keep, as a checker shared by the unit and shared-data
 * tests: spans in order, non-overlapping, trimmed, non-empty, covering each non-whitespace
 * character exactly once. Returns the problems found (empty when the spans are valid).
 */
import type { SentenceSpan } from '../../src/text/segment-sentences.js';

export function checkSpans(text: string, spans: SentenceSpan[]): string[] {
  const problems: string[] = [];
  let last = 0;
  for (const [k, { start, end }] of spans.entries()) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < last || end <= start || end > text.length) {
      problems.push(`span ${k} [${start},${end}) is out of order, empty or out of range`);
      continue;
    }
    const sentence = text.slice(start, end);
    if (sentence.trim() !== sentence) problems.push(`span ${k} [${start},${end}) is not trimmed`);
    if (text.slice(last, start).trim() !== '') problems.push(`text before span ${k} is not covered`);
    last = end;
  }
  if (text.slice(last).trim() !== '') problems.push('text after the last span is not covered');
  return problems;
}
