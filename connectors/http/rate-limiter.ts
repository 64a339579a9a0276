/**
 * A request-rate limiter that holds even as the server measures it: a request occupies its slot
 * from when it is sent until one window after its response headers arrive (its arrival at the
 * server lies somewhere in between), so no server-side sliding window ever sees more than `perWindow`.
 *
 *   const release = await limiter.acquire(signal); try { await send(); } finally { release(); }
 */
export interface LimiterClock {
  now(): number;
}

export class RateLimiter {
  private readonly finished: number[] = [];
  private inFlight = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly perWindow: number,
    readonly windowMs = 1000,
    private readonly clock: LimiterClock = Date,
  ) {
    if (!(perWindow >= 1)) throw new RangeError('perWindow must be at least 1');
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      while (this.finished.length && this.finished[0]! <= now - this.windowMs) this.finished.shift();
      if (this.inFlight + this.finished.length < this.perWindow) {
        this.inFlight++;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.inFlight--;
          this.finished.push(this.clock.now());
          this.wake();
        };
      }
      const wait = this.finished.length ? this.finished[0]! + this.windowMs - now : undefined;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = wait === undefined ? undefined : setTimeout(done, Math.max(1, wait));
        this.waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

const shared = new Map<string, RateLimiter>();

/** One limiter per (service, rate) for the whole process: every connector and worker shares it. */
export function sharedRateLimiter(key: string, perSecond: number): RateLimiter {
  const id = `${key}|${perSecond}`;
  let limiter = shared.get(id);
  if (!limiter) shared.set(id, (limiter = new RateLimiter(perSecond)));
  return limiter;
}
