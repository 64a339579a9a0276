/**
 * Whether a `KafkaLog.process` run with untilIdle has caught up: the group's positions against the
 * partitions' log ends, asked of the admin client every 300 ms while the consumer runs.
 */
import type { Admin } from 'kafkajs';
import { kafkaCall, wrapKafka } from './kafka-errors.js';
import { type Assignment, type PositionTracker, type ProcessRun, partitionId } from './kafka-process-run.js';
import type { ProcessOptions } from './log.js';
import { sleep } from './retry-batch.js';

/**
 * Finishes `run` once every assigned partition is caught up. eachBatch cannot tell "caught up" from
 * "nothing fetched yet", so this compares with the log ends. The broker being away does not end the
 * run: the next round asks again, and the outage is reported through onRetry.
 */
export async function finishWhenCaughtUp(admin: Admin, options: ProcessOptions, run: ProcessRun, tracker: PositionTracker): Promise<void> {
  const fromBeginning = options.fromBeginning ?? true;
  let lastProgressNotice = 0;
  let progressFailures = 0;
  while (!run.failed && !run.signal.aborted) {
    await sleep(300, run.signal);
    const assignment = tracker.assignment();
    if (assignment === null || run.signal.aborted) continue;
    try {
      if (await caughtUp(admin, options.group, assignment, tracker.positions, fromBeginning)) run.finish();
    } catch (err) {
      const wrapped = wrapKafka(err, 'check progress');
      if (!wrapped.retriable) run.fail(wrapped);
      else if (Date.now() - lastProgressNotice > 5000) {
        progressFailures++;
        lastProgressNotice = Date.now();
        options.onRetry?.(wrapped, progressFailures, 300);
      }
    }
  }
}

/** Every assigned partition's position has reached its log end (high watermark). */
export async function caughtUp(
  admin: Admin,
  group: string,
  assignment: Assignment[],
  positions: Map<string, bigint>,
  fromBeginning: boolean,
): Promise<boolean> {
  if (assignment.length === 0) return true;
  const topics = [...new Set(assignment.map((a) => a.topic))];
  const committed = await committedOffsets(admin, group, topics);
  for (const topic of topics) {
    const ends = await kafkaCall(() => admin.fetchTopicOffsets(topic), 'fetch offsets');
    for (const a of assignment.filter((x) => x.topic === topic)) {
      const end = ends.find((e) => e.partition === a.partition);
      if (!end) return false;
      const high = BigInt(end.high);
      const low = BigInt(end.low);
      const c = committed.get(partitionId(topic, a.partition));
      const known = positions.get(partitionId(topic, a.partition));
      // Without a commit, a fromBeginning=false group started at the end: nothing to wait for.
      let position = known ?? (c !== undefined ? c : fromBeginning ? low : high);
      if (c !== undefined && c > position) position = c;
      if (position < low) position = low;
      if (position < high) return false;
    }
  }
  return true;
}

export async function committedOffsets(admin: Admin, group: string, topics: string[]): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  const rows = await kafkaCall(() => admin.fetchOffsets({ groupId: group, topics }), 'fetch committed offsets');
  for (const t of rows) {
    for (const p of t.partitions) if (Number(p.offset) >= 0) out.set(partitionId(t.topic, p.partition), BigInt(p.offset));
  }
  return out;
}
