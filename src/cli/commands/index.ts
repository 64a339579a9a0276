/** Every `litmine` subcommand, in the order `litmine help` lists them. */
import type { Command } from '../command.js';
import { ingestCommand } from './ingest.js';
import { relationsCommand } from './relations.js';
import { runCommand } from './run.js';
import { schemasCommand } from './schemas.js';
import { searchCommand } from './search.js';
import { statusCommand } from './status.js';

export const commands: Command[] = [runCommand, ingestCommand, searchCommand, relationsCommand, statusCommand, schemasCommand];
