/**
 * `litmine vocab fetch` against a local HTTP server on 127.0.0.1: a download cut off mid-way resumes
 * from its .part with a Range request, a published MD5 is checked (a mismatch removes the file and
 * fails with LITMINE_CHECKSUM), and a finished file is not fetched again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { LitmineError } from '../../src/errors.js';
import { fetchVocabulary } from '../../src/vocab/fetch-vocabulary.js';
import { litmine } from '../pipeline/cli-io.js';

const body = Buffer.from('9606\t|\tHomo sapiens\t|\t\t|\tscientific name\t|\n'.repeat(4000));
const md5 = createHash('md5').update(body).digest('hex');

interface Served {
  server: Server;
  base: string;
  ranges: (string | undefined)[];
  cutFirst: boolean;
  /** With cutFirst: the connection drops only once the client has this file with some bytes in it. */
  cutWhenOnDisk?: string;
}

/** Resolves once `file` exists and holds at least one byte (a condition, not a time). */
async function onDisk(file: string): Promise<void> {
  while (!(existsSync(file) && statSync(file).size > 0)) await new Promise((r) => setTimeout(r, 5));
}

async function serve(t: ExecutionContext, options: { cutFirst?: boolean; cutWhenOnDisk?: string; md5?: string } = {}): Promise<Served> {
  const s: Served = {
    server: createServer(),
    base: '',
    ranges: [],
    cutFirst: options.cutFirst ?? false,
    cutWhenOnDisk: options.cutWhenOnDisk,
  };
  s.server.on('request', (req, res) => {
    if (req.url === '/names.dmp.md5') {
      res.end(`${options.md5 ?? md5}  names.dmp\n`);
      return;
    }
    if (req.url !== '/names.dmp') {
      res.statusCode = 404;
      res.end();
      return;
    }
    s.ranges.push(req.headers.range);
    const from = Number(req.headers.range?.match(/^bytes=(\d+)-$/)?.[1] ?? 0);
    const rest = body.subarray(from);
    res.statusCode = from > 0 ? 206 : 200;
    res.setHeader('content-length', rest.length);
    if (from > 0) res.setHeader('content-range', `bytes ${from}-${body.length - 1}/${body.length}`);
    if (s.cutFirst) {
      // The first answer stops half-way and the connection drops, after the client has stored some of it.
      s.cutFirst = false;
      const cut = s.cutWhenOnDisk;
      res.write(
        rest.subarray(0, Math.floor(rest.length / 2)),
        () => void (cut ? onDisk(cut) : Promise.resolve()).then(() => res.destroy()),
      );
      return;
    }
    res.end(rest);
  });
  await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
  // Closed when this test ends, even after a failed assertion; not by another test's end (tests in a
  // file run concurrently, and closing every server after each cut the others' downloads).
  t.teardown(() => {
    s.server.closeAllConnections();
    s.server.close();
  });
  s.base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
  return s;
}

test('a cut-off download resumes with a Range request and passes the published MD5', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-fetch-'));
  const s = await serve(t, { cutFirst: true, cutWhenOnDisk: join(dir, 'names.dmp.part') });
  const downloads = [{ url: `${s.base}/names.dmp`, md5Url: `${s.base}/names.dmp.md5` }];
  const first = await t.throwsAsync(fetchVocabulary(downloads, dir));
  t.is((first as LitmineError).code, 'LITMINE_HTTP_TRANSIENT');
  // What arrived before the cut stays on disk, and the next run asks only for the rest.
  const kept = statSync(join(dir, 'names.dmp.part')).size;
  t.true(kept > 0 && kept <= body.length / 2, `${kept} bytes kept`);
  const [f] = await fetchVocabulary(downloads, dir);
  t.like(f, { status: 'resumed', bytes: body.length, md5 });
  t.deepEqual(readFileSync(join(dir, 'names.dmp')), body);
  t.is(s.ranges[0], undefined);
  t.is(s.ranges[1], `bytes=${kept}-`);
  const [again] = await fetchVocabulary(downloads, dir);
  t.is(again!.status, 'present');
  t.is(s.ranges.length, 2, 'a finished file is not fetched again');
});

test('an MD5 mismatch removes the download and fails with LITMINE_CHECKSUM', async (t) => {
  const s = await serve(t, { md5: '0'.repeat(32) });
  const dir = mkdtempSync(join(tmpdir(), 'litmine-fetch-'));
  const err = await t.throwsAsync(fetchVocabulary([{ url: `${s.base}/names.dmp`, md5Url: `${s.base}/names.dmp.md5` }], dir));
  t.is((err as LitmineError).code, 'LITMINE_CHECKSUM');
  t.false(existsSync(join(dir, 'names.dmp')) || existsSync(join(dir, 'names.dmp.part')));
});

test('litmine vocab fetch takes its URLs from the configuration and says what it did', async (t) => {
  const s = await serve(t);
  const dir = mkdtempSync(join(tmpdir(), 'litmine-fetch-'));
  const config = join(dir, 'litmine.config.json');
  writeFileSync(config, JSON.stringify({ vocab: { downloads: [{ url: `${s.base}/names.dmp`, md5Url: `${s.base}/names.dmp.md5` }] } }));
  const r = await litmine('vocab', 'fetch', '--config', config, '--data-dir', join(dir, 'data'));
  t.is(r.code, 0, r.err);
  t.regex(r.err, /vocab fetch: 1 file\(s\) in .*downloads; next: litmine vocab build --from/);
  t.deepEqual(readFileSync(join(dir, 'data', 'vocab', 'downloads', 'names.dmp')), body);
});
