/** Runs `litmine` in-process with captured output, as a user would from the shell. */
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/command.js';

export async function litmine(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
