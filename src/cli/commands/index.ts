/** Every `litmine` subcommand, in the order `litmine help` lists them. */
import type { Command } from '../command.js';

export const commands: Command[] = [];
