/**
 * The fault suite's own Kafka broker and Elasticsearch node (ports 29092 and 29200 unless
 * LITMINE_FAULTS_KAFKA_PORT / LITMINE_FAULTS_ES_PORT say otherwise), started by the project's scripts,
 * and the faults injected into them: stop, start, restart, SIGSTOP/SIGCONT — always by the pid file
 * the script wrote for that port, never touching any other instance on the machine.
 *
 *   await esService.stop(); await sleep(60_000); await esService.start();
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/shared-data.js';

const run = promisify(execFile);

export const KAFKA_PORT = Number(process.env.LITMINE_FAULTS_KAFKA_PORT ?? 29092);
export const ES_PORT = Number(process.env.LITMINE_FAULTS_ES_PORT ?? 29200);
export const KAFKA_BROKERS = `127.0.0.1:${KAFKA_PORT}`;
export const ES_URL = `http://127.0.0.1:${ES_PORT}`;

// The fault tier runs after the integration tier, whose Kafka and Elasticsearch addresses may still be
// in the environment; they would override the fault configs (environment beats config file) and send
// the tests' workers to the wrong services. Each test names its services itself.
for (const name of ['LITMINE_KAFKA_BROKERS', 'LITMINE_ES_URL', 'LITMINE_ES_SERVER_MAJOR', 'LITMINE_LOG', 'LITMINE_STORE']) {
  delete process.env[name];
}

export interface Service {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGSTOP (a hung process: connections open, no answers) until resume(). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  pid(): number;
}

function service(name: 'kafka' | 'elasticsearch', port: number, env: Record<string, string>): Service {
  const script = join(repoRoot, 'scripts', `${name}.sh`);
  const pidFile = join(process.env.LITMINE_SERVICES_DIR ?? join(repoRoot, '.services'), name, `${name}-${port}.pid`);
  const call = async (action: string) => {
    await run('bash', [script, action], { env: { ...process.env, ...env }, cwd: repoRoot, timeout: 240_000 });
  };
  const pid = () => Number(readFileSync(pidFile, 'utf8').trim());
  return {
    name,
    start: () => call('start'),
    stop: () => call('stop'),
    pid,
    pause: async () => {
      process.kill(pid(), 'SIGSTOP');
    },
    resume: async () => {
      process.kill(pid(), 'SIGCONT');
    },
  };
}

export const kafkaService = service('kafka', KAFKA_PORT, { LITMINE_KAFKA_PORT: String(KAFKA_PORT) });
export const esService = service('elasticsearch', ES_PORT, {
  LITMINE_ES_PORT: String(ES_PORT),
  LITMINE_ES_HEAP: process.env.LITMINE_ES_HEAP ?? '512m',
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
