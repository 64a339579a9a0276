/**
 * Who holds an embedded-log partition lease: host, pid, a per-`process` call id and the worker id,
 * in one string, so a lease left by a process that died (SIGKILL, OOM) on this host is recognised
 * at once instead of blocking its partitions until the lease expires.
 *
 *   const owner = leaseOwner('annotate-1');  …  leaseHolderDead(row.owner) → true after that process died
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

const SEP = '|';

export function leaseOwner(workerId: string, host = hostname(), pid = process.pid): string {
  return [host, String(pid), randomUUID(), workerId].join(SEP);
}

/** The holder is a process on this host that no longer exists (leases of other hosts only expire). */
export function leaseHolderDead(owner: string, host = hostname()): boolean {
  const [ownerHost, pidText] = owner.split(SEP);
  const pid = Number(pidText);
  if (ownerHost !== host || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  return !pidAlive(pid);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
