// Structured events and the metrics endpoint: a command run with LITMINE_LOG_FILE leaves JSON
// events (start, its stderr lines, end with the exit code) beside the unchanged human lines, and the
// workers' metrics server answers Prometheus text from the default registry.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { stageMetrics } from '../../src/observability/metrics.js';
import { serveMetrics } from '../../src/observability/metrics-server.js';
import { repoRoot } from '../helpers/shared-data.js';

test('a command writes JSON events to LITMINE_LOG_FILE and keeps its human lines on stderr', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-log-'));
  const file = join(dir, 'events.jsonl');
  // `status` on a data folder that does not exist fails: the events carry the error code and the exit code.
  const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'litmine.js'), 'status', '--data-dir', join(dir, 'data')], {
    env: { ...process.env, LITMINE_LOG_FILE: file },
    encoding: 'utf8',
  });
  t.is(run.status, 1);
  const events = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  t.deepEqual([events[0]?.event, events[0]?.command], ['command.start', 'status']);
  t.is(events.find((e) => e.event === 'command.error')?.code, 'LITMINE_INPUT_NOT_FOUND');
  const end = events.at(-1)!;
  t.deepEqual([end.event, end.exitCode], ['command.end', 1]);
  const lines = run.stderr.trim().split('\n').filter(Boolean);
  t.true(lines.length > 0);
  for (const line of lines)
    t.true(
      events.some((e) => e.event === 'command.message' && e.text === line),
      `stderr line as an event: ${line}`,
    );
});

test('the metrics server serves the default registry in Prometheus text at /metrics, and 404 elsewhere', async (t) => {
  stageMetrics.recordsIn.inc({ stage: 'metrics-server-test' }, 7);
  const server = await serveMetrics(0);
  try {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    t.is(res.status, 200);
    t.regex(await res.text(), /litmine_stage_records_in_total\{stage="metrics-server-test"\} 7/);
    t.is((await fetch(`http://127.0.0.1:${server.port}/other`)).status, 404);
  } finally {
    await server.close();
  }
});

test('litmine worker --metrics-port opens the metrics server for its run and refuses a bad port', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-worker-metrics-'));
  const err: string[] = [];
  const io = { out: () => undefined, err: (l: string) => err.push(l), isTTY: false };
  const code = await main(['worker', 'index', '--until-idle', '--metrics-port', '0', '--data-dir', join(dir, 'data')], io);
  t.is(code, 0, err.join('\n'));
  t.true(err.some((l) => /metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/.test(l)));
  t.is(await main(['worker', 'index', '--metrics-port', 'eighty', '--data-dir', join(dir, 'data')], io), 2);
  t.regex(err.at(-1)!, /--metrics-port must be a port number/);
});
