/**
 * Reads one XML file (plain or gzipped — the parser sniffs the gzip magic) as a stream of
 * ParsedRecords. The parser never throws: a corrupt gzip or a refused file ends the file with one
 * error record, so a backfill goes on to the next file.
 *
 *   for await (const rec of readXmlRecords('/data/pubmed26n1335.xml.gz', parseXmlStream)) { … }
 */
import { createReadStream } from 'node:fs';
import type { ParsedRecord } from '../src/parse/parsed-record.js';
import type { XmlStreamParser } from './connector.js';

export async function* readXmlRecords(path: string, parse: XmlStreamParser): AsyncIterable<ParsedRecord> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    yield* parse(file, path);
  } finally {
    file.destroy();
  }
}
