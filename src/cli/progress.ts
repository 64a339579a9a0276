/**
 * Progress for long work: periodic counts with rate and ETA (a redrawn line on a terminal, a line
 * every few seconds otherwise), and the elapsed time for the closing summary.
 *
 *   const p = new Progress(io, 'annotate', { total: 1240, unit: 'articles' });
 *   p.tick(32); … p.done();  // "annotate: 1240 articles in 41.2 s (30.1/s)"
 */
import type { CliIO } from './command.js';

export class Progress {
  private count = 0;
  private readonly started = Date.now();
  private lastPrint = 0;
  private total: number | undefined;

  constructor(
    private readonly io: CliIO,
    private readonly label: string,
    options: { total?: number; unit?: string; intervalMs?: number } = {},
  ) {
    this.total = options.total;
    this.unit = options.unit ?? 'records';
    this.intervalMs = options.intervalMs ?? (io.isTTY ? 250 : 5000);
  }

  private readonly unit: string;
  private readonly intervalMs: number;

  setTotal(total: number): void {
    this.total = total;
  }

  tick(n = 1): void {
    this.count += n;
    const now = Date.now();
    if (now - this.lastPrint >= this.intervalMs) {
      this.lastPrint = now;
      this.io.err(this.line(now));
    }
  }

  get value(): number {
    return this.count;
  }

  elapsedSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }

  /** The closing summary line. */
  done(extra = ''): string {
    const secs = this.elapsedSeconds();
    const rate = secs > 0 ? this.count / secs : 0;
    const line = `${this.label}: ${this.count} ${this.unit} in ${secs.toFixed(1)} s (${rate.toFixed(1)}/s)${extra ? `, ${extra}` : ''}`;
    this.io.err(line);
    return line;
  }

  private line(now: number): string {
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? this.count / secs : 0;
    let text = `${this.label}: ${this.count}${this.total ? `/${this.total}` : ''} ${this.unit}, ${rate.toFixed(1)}/s`;
    if (this.total && rate > 0) {
      const eta = Math.max(0, (this.total - this.count) / rate);
      text += `, ETA ${formatDuration(eta)}`;
    }
    return text;
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
