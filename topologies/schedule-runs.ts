/**
 * Schedule run records: one row per scheduled (or manually triggered) run in the `runs` table of
 * `<dataDir>/schedule.sqlite` — days asked for, days completed, counts per source, duration, error.
 * The last completed day is where the next run's catch-up starts; `listRuns` feeds `litmine status`.
 *
 *   const runs = new ScheduleRuns(dataDir); runs.listRuns(5) → newest first
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type SourceCounts = Record<string, Record<string, number>>;

export interface ScheduleRun {
  id: number;
  trigger: 'cron' | 'manual';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Days the run set out to process, oldest first. */
  days: string[];
  /** Days that finished (a failing day and those after it are not here). */
  completedDays: string[];
  /** Summed over the completed days: { pubmed: { articles: 4012, deletes: 3 }, pmc: { … } }. */
  counts: SourceCounts;
  ok: boolean;
  error?: { code: string; message: string; day?: string };
}

interface Row {
  id: number;
  trigger: 'cron' | 'manual';
  started_at: string;
  finished_at: string;
  duration_ms: number;
  days: string;
  completed_days: string;
  counts: string;
  ok: number;
  error: string | null;
}

export class ScheduleRuns {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'schedule.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
      duration_ms INTEGER NOT NULL, days TEXT NOT NULL, completed_days TEXT NOT NULL, counts TEXT NOT NULL,
      ok INTEGER NOT NULL, error TEXT, last_day TEXT)`);
  }

  record(run: Omit<ScheduleRun, 'id'>): ScheduleRun {
    const lastDay = run.completedDays.at(-1) ?? null;
    const info = this.db
      .prepare(
        `INSERT INTO runs (trigger, started_at, finished_at, duration_ms, days, completed_days, counts, ok, error, last_day)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.trigger,
        run.startedAt,
        run.finishedAt,
        Math.round(run.durationMs),
        JSON.stringify(run.days),
        JSON.stringify(run.completedDays),
        JSON.stringify(run.counts),
        run.ok ? 1 : 0,
        run.error ? JSON.stringify(run.error) : null,
        lastDay,
      );
    return { id: Number(info.lastInsertRowid), ...run };
  }

  /** Newest first. */
  listRuns(limit = 10): ScheduleRun[] {
    const rows = this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as Row[];
    return rows.map((r) => ({
      id: r.id,
      trigger: r.trigger,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      durationMs: r.duration_ms,
      days: JSON.parse(r.days) as string[],
      completedDays: JSON.parse(r.completed_days) as string[],
      counts: JSON.parse(r.counts) as SourceCounts,
      ok: r.ok === 1,
      ...(r.error ? { error: JSON.parse(r.error) as ScheduleRun['error'] } : {}),
    }));
  }

  /** The latest day any run completed, or null before the first. */
  lastCompletedDay(): string | null {
    const row = this.db.prepare('SELECT MAX(last_day) AS day FROM runs WHERE last_day IS NOT NULL').get() as { day: string | null };
    return row.day;
  }

  close(): void {
    this.db.close();
  }
}
