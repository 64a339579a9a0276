/**
 * Run records: every `litmine run` (by hand or by the schedule) appends one JSON line to
 * `<dataDir>/runs.jsonl` — window, counts per source, duration, error — which `litmine status`
 * shows and which tells the next run where to start.
 *
 *   await recordRun(config, { started, finished, since, until, description, result, error: null });
 */
import { appendFile, readFile } from 'node:fs/promises';
import type { LitmineConfig } from '../config/config-schema.js';
import { asLitmineError } from '../errors.js';
import type { PipelineResult } from '../../topologies/pipeline.js';
import { dataPath } from './open-services.js';

export interface RunRecord {
  started: string;
  finished: string;
  seconds: number;
  description: string;
  since?: string;
  until?: string;
  ok: boolean;
  counts?: {
    bySource: PipelineResult['ingest']['bySource'];
    articles: number;
    deletes: number;
    mentions: number;
    relations: number;
    deadLetters: number;
  };
  error?: { code: string; message: string };
}

export async function recordRun(
  config: LitmineConfig,
  run: { started: Date; finished: Date; since?: string; until?: string; description: string; result: PipelineResult | null; error: unknown },
): Promise<RunRecord> {
  const r = run.result;
  const record: RunRecord = {
    started: run.started.toISOString(),
    finished: run.finished.toISOString(),
    seconds: (run.finished.getTime() - run.started.getTime()) / 1000,
    description: run.description,
    since: run.since,
    until: run.until,
    ok: run.error === null,
    counts: r
      ? {
          bySource: r.ingest.bySource,
          articles: r.ingest.articles,
          deletes: r.ingest.deletes,
          mentions: r.annotate.mentions,
          relations: r.annotate.relations,
          deadLetters: r.ingest.errors + r.annotate.deadLetters + r.index.deadLetters,
        }
      : undefined,
    error: run.error === null ? undefined : (({ code, message }) => ({ code, message }))(asLitmineError(run.error)),
  };
  await appendFile(dataPath(config, 'runs.jsonl'), `${JSON.stringify(record)}\n`);
  return record;
}

export async function listRuns(config: LitmineConfig, limit = 10): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await readFile(dataPath(config, 'runs.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const runs: RunRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      runs.push(JSON.parse(line) as RunRecord);
    } catch {
      // A line torn by a crash mid-append: skip it, the rest is intact.
    }
  }
  return runs.slice(-limit).reverse();
}

export async function lastSuccessfulRun(config: LitmineConfig): Promise<RunRecord | undefined> {
  return (await listRuns(config, 1000)).find((r) => r.ok && r.until);
}
