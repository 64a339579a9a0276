/**
 * A full disk under the embedded log is a clear, final error, not a silent retry loop: SQLite's
 * own "database or disk is full" (SQLITE_FULL, reached here with a page-count cap on the
 * connection) becomes LITMINE_DISK_FULL naming the file system, its free bytes and the file, and
 * `process` stops after one attempt of the batch instead of re-running its handler forever.
 */
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemOf } from '../../src/disk-full.js';
import { LitmineError, isRetriable } from '../../src/errors.js';
import { EmbeddedLog } from '../../src/log/embedded-log.js';

function capPages(log: EmbeddedLog): void {
  const db = (log as unknown as { db: { pragma(s: string, o?: object): unknown } }).db;
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages + 4}`);
}

test('SQLITE_FULL in produce and in a batch commit is LITMINE_DISK_FULL, named, and not retried', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-full-'));
  const path = join(dir, 'log.sqlite');
  const log = new EmbeddedLog({ path, pollMs: 10 });
  try {
    await log.ensureTopics([
      { name: 'in', partitions: 1, cleanup: 'delete' },
      { name: 'out', partitions: 1, cleanup: 'delete' },
    ]);
    await log.produce([{ topic: 'in', key: 'k', value: Buffer.from('v') }]);
    capPages(log);
    const big = Buffer.alloc(256 * 1024, 'x');
    const produceErr = await t.throwsAsync(() => log.produce([{ topic: 'in', key: 'k2', value: big }]));
    t.true(produceErr instanceof LitmineError);
    t.is((produceErr as LitmineError).code, 'LITMINE_DISK_FULL');
    t.false(isRetriable(produceErr));
    const fs = fileSystemOf(path);
    t.true(produceErr!.message.includes(`the file system at ${fs.mount}`), produceErr!.message);
    t.regex(produceErr!.message, /\(\d+ bytes free of \d+\)/);
    t.true(produceErr!.message.includes(path));
    t.regex(produceErr!.message, /database or disk is full/);

    let attempts = 0;
    const err = await t.throwsAsync(() =>
      log.process({
        group: 'g',
        topics: ['in'],
        untilIdle: true,
        retry: { initialMs: 1 },
        handler: async () => {
          attempts++;
          return [{ topic: 'out', key: 'k', value: big }];
        },
      }),
    );
    t.is((err as LitmineError).code, 'LITMINE_DISK_FULL');
    t.is(attempts, 1, 'the handler (the model, in annotate) runs once, not once per retry');
    t.deepEqual(
      (await log.lag('g', ['in'])).map((l) => l.lag),
      [1],
      'the batch stays uncommitted for the rerun',
    );
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fileSystemOf names the mount holding a path, with its type and sizes, even before its folder exists', (t) => {
  const fs = fileSystemOf(join(tmpdir(), `litmine-absent-${process.pid}`, 'x', 'y.sqlite'));
  t.true(join(tmpdir(), 'x').startsWith(fs.mount));
  t.true((fs.freeBytes ?? -1) >= 0);
  t.true((fs.totalBytes ?? 0) >= (fs.freeBytes ?? 0));
});
