/**
 * `litmine schedule`: the daily daemon. At `schedule.cron` in `schedule.timezone` it runs the
 * configured NCBI sources for every day since the last completed one (catch-up after downtime),
 * under the run lock, recording each run. SIGTERM lets the running day finish, then exits.
 *
 *   LITMINE_SCHEDULE_CRON="30 6 * * *" LITMINE_SCHEDULE_TZ=Europe/Berlin litmine schedule
 */
import { startSchedule } from '../../../topologies/schedule.js';
import type { Command } from '../command.js';
import { openDailyJob } from '../daily-job.js';
import { dataPath } from '../open-services.js';

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'run the daily job on its cron schedule (catch-up, run lock, run records) until stopped',
  usage: 'litmine schedule [--now]',
  options: { now: { type: 'boolean' } },
  async run({ values }, context) {
    const { config, io, signal } = context;
    const job = await openDailyJob(context);
    const schedule = startSchedule({
      dataDir: dataPath(config),
      cron: config.schedule.cron,
      timezone: config.schedule.timezone,
      signal,
      runWindow: (day, { signal: daySignal }) => job.runWindow(day, daySignal),
      onRun: (run) =>
        io.err(
          `schedule: ${run.trigger} run ${run.ok ? 'done' : `FAILED on ${run.error?.day} (${run.error?.code}: ${run.error?.message})`}: ` +
            `${run.completedDays.length}/${run.days.length} day(s) in ${(run.durationMs / 1000).toFixed(1)} s`,
        ),
    });
    io.err(
      `schedule: "${config.schedule.cron}" (${config.schedule.timezone}), sources ${config.schedule.sources.join(', ')}; SIGTERM to stop`,
    );
    try {
      if (values.now) {
        const outcome = await schedule.trigger('manual');
        if (outcome.status !== 'ran') io.err(`schedule: ${outcome.status === 'locked' ? outcome.error.message : 'up to date'}`);
      }
      await new Promise<void>((resolve) =>
        signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      io.err('schedule: stopping');
      return 0;
    } finally {
      await schedule.stop();
      await job.close();
    }
  },
};
