/**
 * The lines of one member of a (gzipped) tar archive, streamed: NCBI ships names.dmp inside
 * taxdump.tar.gz. Reads ustar headers (name at 0, octal size at 124, 512-byte blocks) and skips
 * every other member without keeping it.
 *
 *   for await (const line of tarMemberLines('taxdump.tar.gz', 'names.dmp')) …
 */
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { openText } from './read-lines.js';
import type { ReadContext } from './vocab-concept.js';

export async function* tarMemberLines(path: string, member: string, context: ReadContext = {}): AsyncIterable<string> {
  const out = new PassThrough();
  const reading = (async () => {
    let buffer = Buffer.alloc(0);
    let skip = 0; // bytes of other members (with their padding) still to pass over
    let take = -1; // bytes of the member still to copy; -1 before it is found
    for await (const chunk of openText(path, context)) {
      buffer = Buffer.concat([buffer, chunk as Buffer]);
      while (take !== 0) {
        if (take > 0) {
          const n = Math.min(buffer.length, take);
          out.write(buffer.subarray(0, n));
          buffer = buffer.subarray(n);
          take -= n;
          if (n === 0) break;
          continue;
        }
        if (skip > 0) {
          const n = Math.min(buffer.length, skip);
          buffer = buffer.subarray(n);
          skip -= n;
          if (skip > 0) break;
          continue;
        }
        if (buffer.length < 512) break;
        const header = buffer.subarray(0, 512);
        buffer = buffer.subarray(512);
        if (header.every((b) => b === 0)) {
          take = 0; // end of archive: the member is absent
          break;
        }
        const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
        const size = Number.parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
        if (name.replace(/^\.\//, '') === member) take = size;
        else skip = Math.ceil(size / 512) * 512;
      }
      if (take === 0) break;
    }
    out.end();
  })();
  const rl = createInterface({ input: out, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) yield line;
  await reading;
}
