/**
 * Starts test/faults/serve-child.ts over a store file and gives its address; stop() ends it.
 *
 *   const server = await serveProcess(storePath, { apiKey });  await fetch(`${server.base}/healthz`);  await server.stop();
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServeProcess {
  base: string;
  stop(): Promise<void>;
}

export async function serveProcess(storePath: string, options: object = {}): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./serve-child.ts', import.meta.url)), storePath, JSON.stringify(options)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`serve-child exited with ${code} before listening`)));
  });
  return {
    base,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
