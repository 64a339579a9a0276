/**
 * Writes a pre-training corpus folder: train-NNN.txt shards and heldout.txt (one sentence per line,
 * a blank line after each document), and manifest.json with the counts. About --heldout-percent of
 * documents, chosen by a hash of the document id (the rule build_mlm_corpus.py uses), go to
 * heldout.txt for the masked-LM evaluation. The folder is written beside the target and renamed into
 * place, so a stopped export leaves no half corpus.
 *
 *   const w = new CorpusWriter(dir, { shardSentences: 50000, heldoutPercent: 1 });
 *   w.add('pmid:1', ['A sentence.']);  const manifest = w.finish({ … });
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LitmineError } from '../errors.js';

export interface PartCounts {
  documents: number;
  sentences: number;
  words: number;
}

export interface CorpusWriterOptions {
  shardSentences: number;
  heldoutPercent: number;
}

export function isHeldOut(documentId: string, percent: number): boolean {
  const h = Number.parseInt(createHash('sha1').update(documentId).digest('hex').slice(0, 8), 16);
  return h % 10000 < percent * 100;
}

export class CorpusWriter {
  readonly shards: string[] = [];
  readonly train: PartCounts = { documents: 0, sentences: 0, words: 0 };
  readonly heldout: PartCounts = { documents: 0, sentences: 0, words: 0 };
  private readonly tmp: string;
  private shardFd: number | null = null;
  private shardLines = 0;
  private readonly heldoutFd: number;

  constructor(
    private readonly out: string,
    private readonly options: CorpusWriterOptions,
  ) {
    if (existsSync(out) && readdirSync(out).length && !existsSync(join(out, 'manifest.json')))
      throw new LitmineError('LITMINE_USAGE', `--out ${out}: exists and is not a corpus export (no manifest.json); choose an empty folder`);
    this.tmp = join(dirname(out), `.${basename(out)}.tmp`);
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp, { recursive: true });
    this.heldoutFd = openSync(join(this.tmp, 'heldout.txt'), 'w');
  }

  add(documentId: string, sentences: string[]): void {
    if (!sentences.length) return;
    const text = `${sentences.join('\n')}\n\n`;
    const words = sentences.reduce((n, s) => n + s.split(/\s+/).filter(Boolean).length, 0);
    let part: PartCounts;
    if (isHeldOut(documentId, this.options.heldoutPercent)) {
      writeSync(this.heldoutFd, text);
      part = this.heldout;
    } else {
      if (this.shardFd === null || this.shardLines >= this.options.shardSentences) {
        if (this.shardFd !== null) closeSync(this.shardFd);
        this.shards.push(`train-${String(this.shards.length).padStart(3, '0')}.txt`);
        this.shardFd = openSync(join(this.tmp, this.shards.at(-1)!), 'w');
        this.shardLines = 0;
      }
      writeSync(this.shardFd, text);
      this.shardLines += sentences.length;
      part = this.train;
    }
    part.documents += 1;
    part.sentences += sentences.length;
    part.words += words;
  }

  /** Closes the files, writes manifest.json (extra fields merged in) and moves the folder into place. */
  finish(extra: Record<string, unknown>): Record<string, unknown> {
    if (this.shardFd !== null) closeSync(this.shardFd);
    closeSync(this.heldoutFd);
    const manifest = {
      what: 'pre-training text: one sentence per line, a blank line after each document',
      train_shards: this.shards,
      heldout: 'heldout.txt',
      heldout_percent: this.options.heldoutPercent,
      documents: this.train.documents + this.heldout.documents,
      sentences: this.train.sentences + this.heldout.sentences,
      words: this.train.words + this.heldout.words,
      totals: { train: this.train, heldout: this.heldout },
      ...extra,
    };
    const fd = openSync(join(this.tmp, 'manifest.json'), 'w');
    writeSync(fd, `${JSON.stringify(manifest, null, 2)}\n`);
    closeSync(fd);
    rmSync(this.out, { recursive: true, force: true });
    renameSync(this.tmp, this.out);
    return manifest;
  }

  /** Removes the partial folder (a stopped export). */
  abandon(): void {
    if (this.shardFd !== null) closeSync(this.shardFd);
    closeSync(this.heldoutFd);
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
