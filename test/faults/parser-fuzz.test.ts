/**
 * Generated-input fuzzing of the XML scanner and the record mappers: 100,000 mutations of real
 * PubMed and JATS records (LITMINE_FUZZ_INPUTS to change), run in a forked worker that this test
 * watches: no input may throw, hang or end in anything but a coded record error. The seed is
 * printed; LITMINE_FUZZ_SEED (and LITMINE_FUZZ_FROM to start at one input) reproduce a failure.
 *
 *   npx ava test/faults/parser-fuzz.test.ts            LITMINE_FUZZ_SEED=42 npx ava test/faults/parser-fuzz.test.ts
 */
import { fork } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sharedTest } from '../helpers/shared-data.js';
import type { FuzzMessage, FuzzReport } from './parser-fuzz-run.js';

const SEED = process.env.LITMINE_FUZZ_SEED !== undefined ? Number(process.env.LITMINE_FUZZ_SEED) : randomInt(2 ** 31);
const FROM = Number(process.env.LITMINE_FUZZ_FROM ?? 0);
const INPUTS = Number(process.env.LITMINE_FUZZ_INPUTS ?? 100_000);
/**
 * The worker reports every 250 inputs; silence this long means one input is stuck. It is a hang
 * detector, not a speed check: 250 inputs take well under a second of CPU.
 */
const SILENCE_MS = 60_000;

function runWorker(onProgress: (next: number) => void): Promise<FuzzReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./parser-fuzz-run.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LITMINE_FUZZ_SEED: String(SEED), LITMINE_FUZZ_FROM: String(FROM), LITMINE_FUZZ_INPUTS: String(INPUTS) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let next = FROM;
    let report: FuzzReport | undefined;
    let timer = setTimeout(() => {}, 0);
    const watch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(
            `no progress for ${SILENCE_MS / 1000} s: an input in [${next}, ${next + 250}) hangs; reproduce with ` +
              `LITMINE_FUZZ_SEED=${SEED} LITMINE_FUZZ_FROM=${next} LITMINE_FUZZ_INPUTS=250 node --import tsx test/faults/parser-fuzz-run.ts`,
          ),
        );
      }, SILENCE_MS);
    };
    watch();
    child.on('message', (m: FuzzMessage) => {
      if (m.type === 'progress') {
        next = m.next;
        onProgress(m.next);
        watch();
      } else report = m;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (report) resolve(report);
      else reject(new Error(`the fuzz worker died (${signal ?? `exit ${code}`}) near input ${next} of seed ${SEED}`));
    });
  });
}

sharedTest(`parser fuzz: ${INPUTS} mutated real records, no throw, no hang, only coded record errors (seed ${SEED})`, async (t) => {
  t.timeout(15 * 60_000);
  t.log(`seed ${SEED}, inputs ${FROM}…${FROM + INPUTS - 1} (LITMINE_FUZZ_SEED=${SEED} reproduces)`);
  const report = await runWorker(() => {});
  t.log(
    `${report.inputs} inputs from ${report.seeds.pubmed} PubMed and ${report.seeds.jats} JATS seeds in ${report.cpuSeconds.toFixed(1)} s of CPU; ` +
      `records out: ${Object.entries(report.outcomes)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
  );
  t.is(report.inputs, INPUTS);
  t.true(report.seeds.pubmed > 50 && report.seeds.jats > 5, 'seeds were read from the shared data');
  // The damage must exercise both sides: records that still parse and records that are refused.
  t.true((report.outcomes.article ?? 0) > INPUTS / 20, 'some damaged inputs still give articles');
  t.true((report.outcomes.LITMINE_PARSE_XML ?? 0) > INPUTS / 20, 'many damaged inputs are refused');
  t.deepEqual(
    report.failures,
    [],
    `seed ${SEED}; one input alone: LITMINE_FUZZ_SEED=${SEED} LITMINE_FUZZ_FROM=<input> LITMINE_FUZZ_INPUTS=1 node --import tsx test/faults/parser-fuzz-run.ts`,
  );
});
