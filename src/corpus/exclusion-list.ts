/**
 * Sentences to keep out of an exported corpus (`litmine corpus export --exclude FILE`): evaluation
 * text such as a devel/test split. A file is either one sentence per line, or CoNLL (token<TAB>label
 * lines, a blank line after each sentence), whose tokens are joined; both are compared normalised.
 *
 *   const ex = readExclusions(['../shared/data/ncbi-disease/biobert/test.tsv']);  ex.keys.size // 940
 */
import { existsSync, readFileSync } from 'node:fs';
import { LitmineError } from '../errors.js';
import { normaliseSentence } from './normalise-sentence.js';

export interface Exclusions {
  keys: Set<string>;
  /** Sentences read per file (before normalisation and deduplication). */
  perFile: Record<string, number>;
}

function isConll(lines: string[]): boolean {
  const filled = lines.filter((l) => l.trim());
  return filled.length > 0 && filled.filter((l) => l.includes('\t')).length >= filled.length * 0.9;
}

export function exclusionSentences(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (!isConll(lines)) return lines.map((l) => l.trim()).filter(Boolean);
  const out: string[] = [];
  let words: string[] = [];
  for (const line of [...lines, '']) {
    if (!line.trim()) {
      if (words.length) out.push(words.join(' '));
      words = [];
    } else {
      const w = line.split('\t')[0]!.trim();
      if (w && w !== '-DOCSTART-') words.push(w);
    }
  }
  return out;
}

export function readExclusions(files: readonly string[]): Exclusions {
  const keys = new Set<string>();
  const perFile: Record<string, number> = {};
  for (const file of files) {
    if (!existsSync(file)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `--exclude ${file}: no such file`);
    const sentences = exclusionSentences(readFileSync(file, 'utf8'));
    perFile[file] = sentences.length;
    for (const s of sentences) {
      const k = normaliseSentence(s);
      if (k) keys.add(k);
    }
  }
  return { keys, perFile };
}
