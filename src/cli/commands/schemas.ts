/**
 * `litmine schemas [name]`: prints the JSON Schemas of the topic records, for consumers to validate
 * against (knowledge-graph teams). Without a name, all of them keyed by record schema name.
 */
import type { Command } from '../command.js';
import { RECORD_SCHEMAS } from '../../records/schemas.js';

export const schemasCommand: Command = {
  name: 'schemas',
  summary: "print the JSON Schemas of the records on litmine's topics",
  usage: 'litmine schemas [litmine.article|litmine.annotation|litmine.entity|litmine.relation|litmine.dead-letter]',
  options: {},
  async run({ positionals }, { io }) {
    const name = positionals[0];
    if (name && !RECORD_SCHEMAS[name]) {
      io.err(`schemas: unknown record "${name}" (known: ${Object.keys(RECORD_SCHEMAS).join(', ')})`);
      return 2;
    }
    io.out(JSON.stringify(name ? RECORD_SCHEMAS[name] : RECORD_SCHEMAS, null, 2));
    return 0;
  },
};
