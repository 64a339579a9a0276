/** Every `litmine` subcommand, in the order `litmine help` lists them. */
import type { Command } from '../command.js';
import { annotateCommand } from './annotate.js';
import { askCommand } from './ask.js';
import { corpusCommand } from './corpus.js';
import { entityCommand } from './entity.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { facetsCommand } from './facets.js';
import { ingestCommand } from './ingest.js';
import { modelsCommand } from './models.js';
import { relationsCommand } from './relations.js';
import { reprocessCommand } from './reprocess.js';
import { runCommand } from './run.js';
import { scheduleCommand } from './schedule.js';
import { schemasCommand } from './schemas.js';
import { searchCommand } from './search.js';
import { serveCommand } from './serve.js';
import { statusCommand } from './status.js';
import { vocabCommand } from './vocab.js';
import { workerCommand } from './worker.js';

export const commands: Command[] = [
  runCommand,
  ingestCommand,
  workerCommand,
  scheduleCommand,
  reprocessCommand,
  searchCommand,
  relationsCommand,
  entityCommand,
  exportCommand,
  facetsCommand,
  askCommand,
  serveCommand,
  annotateCommand,
  evalCommand,
  corpusCommand,
  modelsCommand,
  vocabCommand,
  statusCommand,
  schemasCommand,
];
