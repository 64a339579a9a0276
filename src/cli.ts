/**
 * The `litmine` command: parses global flags, loads and validates the configuration once, and
 * dispatches to a subcommand from src/cli/commands/. Exit codes: 0 ok, 1 failure, 2 usage/config.
 *
 *   litmine run --from ../shared/data/pubmed-xml-more --from ../shared/data/pmc-jats-more
 *   litmine search "pannexin 1" --json
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CliIO, CommandOptions, ParsedCommandArgs } from './cli/command.js';
import { commands } from './cli/commands/index.js';
import { checkFlags } from './cli/flag-values.js';
import { loadConfig } from './config/load-config.js';
import { LitmineError, asLitmineError } from './errors.js';
import { logger } from './observability/logger.js';

const GLOBAL_OPTIONS: CommandOptions = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  log: { type: 'string' },
  store: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** The directory litmine is installed in (repository root), found from this file's location. */
export function installDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/cli.ts → root; dist/src/cli.js → root
  return here.endsWith(join('dist', 'src')) ? join(here, '..', '..') : join(here, '..');
}

export function consoleIO(): CliIO {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

export async function main(argv: string[], io: CliIO = consoleIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(helpText());
    return 0;
  }
  if (name === '--version' || name === 'version') {
    io.out('litmine 0.1.0');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`litmine: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(
      `litmine ${command.name}: LITMINE_USAGE: ${flagError(err, command.name, rest, { ...GLOBAL_OPTIONS, ...command.options })}\nusage: ${command.usage}`,
    );
    return 2;
  }
  if (parsed.values.help) {
    io.out(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    io.err(`litmine: ${signal} received, finishing the current batch (again to exit now)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Every stderr line (notes, progress, summaries, errors) is also a structured event.
  const started = Date.now();
  const events = logger.child({ command: command.name });
  const humanErr = io.err;
  io = {
    ...io,
    err: (line) => {
      humanErr(line);
      events.info({ event: 'command.message', text: line });
    },
  };
  events.info({ event: 'command.start', args: rest.filter((a) => a.startsWith('--')) });
  let exitCode = 1;
  try {
    // Flags first: a bad value is a usage error before the configuration or any store is read.
    const values = checkFlags(parsed.values as ParsedCommandArgs['values'], { ...GLOBAL_OPTIONS, ...command.options });
    const config = loadConfig({
      file: parsed.values.config as string | undefined,
      overrides: {
        dataDir: parsed.values['data-dir'],
        'log.kind': parsed.values.log,
        'store.kind': parsed.values.store,
      },
    });
    exitCode = await command.run(
      { values, positionals: parsed.positionals },
      { config, io, signal: controller.signal, installDir: installDir() },
    );
    return exitCode;
  } catch (err) {
    const e = asLitmineError(err);
    io.err(`litmine ${command.name}: ${e.code}: ${e.message}`);
    events.error({ event: 'command.error', code: e.code, message: e.message });
    if (process.env.LITMINE_DEBUG && e.stack) io.err(e.stack);
    exitCode = e.code === 'LITMINE_CONFIG' || e.code === 'LITMINE_USAGE' ? 2 : 1;
    return exitCode;
  } finally {
    events.info({ event: 'command.end', exitCode, seconds: (Date.now() - started) / 1000 });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * parseArgs' message, and for an unknown flag the way out when it was meant as text ("-cancer"):
 * everything after `--` is text, e.g. `litmine search -- -cancer`.
 */
function flagError(err: unknown, command: string, args: string[], options: CommandOptions): string {
  const message = (err as Error).message;
  if ((err as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message;
  const known = new Set(Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]));
  const word = args.find((a) => a.startsWith('-') && a !== '--' && !known.has(a.split('=')[0] as string));
  return word === undefined
    ? message
    : `unknown option "${word}"; to search for it as text, put it after "--": litmine ${command} -- ${word}`;
}

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'litmine — biomedical literature mining: PubMed/PMC → entities and relations → search',
    '',
    'usage: litmine <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'global options: --data-dir DIR (default ./data, or $LITMINE_DATA_DIR), --config FILE,',
    '                --log embedded|kafka, --store embedded|elasticsearch',
    "`litmine <command> --help` shows a command's options.",
  ].join('\n');
}

export { LitmineError };
