/**
 * What every `litmine` subcommand is: a name, its usage, its flags (node:util parseArgs form) and a
 * run function that gets the validated configuration and returns an exit code. The composition
 * root (src/cli.ts) is the only place that picks implementations.
 *
 *   export const searchCommand: Command = { name: 'search', summary: '…', usage: '…', options: {…}, run };
 */
import type { ParseArgsConfig } from 'node:util';
import type { LitmineConfig } from '../config/config-schema.js';
import type { FlagRule } from './flag-values.js';

/** A flag as parseArgs takes it, and for a string flag what its value must be (checked before run). */
export type CommandOption = NonNullable<ParseArgsConfig['options']>[string] & { value?: FlagRule };
export type CommandOptions = Record<string, CommandOption>;

export interface CliIO {
  /** Results (stdout). */
  out(line: string): void;
  /** Progress, summaries and errors (stderr), so `--json` output stays clean. */
  err(line: string): void;
  readonly isTTY: boolean;
}

export interface CommandContext {
  config: Readonly<LitmineConfig>;
  io: CliIO;
  /** Aborted on SIGINT/SIGTERM: long work finishes or abandons its batch and returns. */
  signal: AbortSignal;
  /** The litmine installation (for default model folders). */
  installDir: string;
}

export interface ParsedCommandArgs {
  /** Flags with an integer or number rule arrive as numbers, every other string flag as checked text. */
  values: Record<string, string | number | boolean | (string | number)[] | boolean[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: CommandOptions;
  run(args: ParsedCommandArgs, context: CommandContext): Promise<number>;
}
