/**
 * The run lock: one row in `<dataDir>/schedule.sqlite` naming the process that runs the daily job
 * (pid, host, heartbeat time). Taking it is one IMMEDIATE transaction, so two processes can never
 * both win; a lock whose heartbeat is older than `staleMs`, or whose pid is dead on this host, is
 * taken over — a crashed run never blocks the schedule for longer than that.
 *
 *   const lock = new RunLock(dataDir); const held = lock.acquire(); … lock.release(held);
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LitmineError } from '../src/errors.js';

export interface ScheduleClock {
  now(): Date;
}

export interface LockHolder {
  token: string;
  pid: number;
  host: string;
  startedAt: string;
  heartbeatAt: string;
}

export interface RunLockOptions {
  clock?: ScheduleClock;
  /** A heartbeat older than this makes the lock stale (default 5 minutes). */
  staleMs?: number;
  pid?: number;
  host?: string;
}

export class RunLock {
  private readonly db: Database.Database;
  private readonly clock: ScheduleClock;
  private readonly staleMs: number;
  private readonly pid: number;
  private readonly host: string;

  constructor(dataDir: string, options: RunLockOptions = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'schedule.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS run_lock (
      id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
      started_at TEXT NOT NULL, heartbeat_at TEXT NOT NULL)`);
    this.clock = options.clock ?? { now: () => new Date() };
    this.staleMs = options.staleMs ?? 5 * 60_000;
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
  }

  /** Takes the lock or throws LITMINE_LOCKED naming the holder. */
  acquire(): LockHolder {
    const take = this.db.transaction((): LockHolder => {
      const current = this.holder();
      if (current && !this.isStale(current)) {
        throw new LitmineError(
          'LITMINE_LOCKED',
          `another run holds the lock (pid ${current.pid} on ${current.host}, heartbeat ${current.heartbeatAt})`,
        );
      }
      const now = this.clock.now().toISOString();
      const mine: LockHolder = { token: randomUUID(), pid: this.pid, host: this.host, startedAt: now, heartbeatAt: now };
      this.db
        .prepare(
          `INSERT INTO run_lock (id, token, pid, host, started_at, heartbeat_at) VALUES (1, @token, @pid, @host, @startedAt, @heartbeatAt)
           ON CONFLICT(id) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
             started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
        )
        .run(mine);
      return mine;
    });
    return take.immediate();
  }

  /** Refreshes the heartbeat; false when the lock was taken over (the run should stop). */
  heartbeat(held: LockHolder): boolean {
    const at = this.clock.now().toISOString();
    return this.db.prepare('UPDATE run_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?').run(at, held.token).changes === 1;
  }

  release(held: LockHolder): void {
    this.db.prepare('DELETE FROM run_lock WHERE id = 1 AND token = ?').run(held.token);
  }

  holder(): LockHolder | null {
    const row = this.db
      .prepare('SELECT token, pid, host, started_at AS startedAt, heartbeat_at AS heartbeatAt FROM run_lock WHERE id = 1')
      .get() as LockHolder | undefined;
    return row ?? null;
  }

  isStale(holder: LockHolder): boolean {
    if (this.clock.now().getTime() - Date.parse(holder.heartbeatAt) > this.staleMs) return true;
    return holder.host === this.host && !pidAlive(holder.pid);
  }

  close(): void {
    this.db.close();
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
