// A worker riding out an outage says so on stderr and in the metrics: retries counted by error code,
// the waiting time while it lasts, zero again once the log or store answers.
import test from 'ava';
import { retryNotice } from '../../src/cli/retry-notice.js';
import { LitmineError } from '../../src/errors.js';
import { stageMetrics } from '../../src/observability/metrics.js';

async function metricValue(
  metric: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> },
  component: string,
) {
  const { values } = await metric.get();
  return values.filter((v) => v.labels.component === component).reduce((sum, v) => sum + v.value, 0);
}

test('retries and the outage length show on stderr and in the metrics, and the gauge drops to 0 on recovery', async (t) => {
  const lines: string[] = [];
  let clock = 1_000_000;
  const component = 'worker test-retry-notice index';
  const notice = retryNotice({ err: (line: string) => lines.push(line) }, component, () => clock);
  const down = new LitmineError('LITMINE_STORE_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:9');

  notice.onRetry(down, 1, 500);
  clock += 12_000;
  notice.onRetry(down, 2, 1000);
  t.is(await metricValue(stageMetrics.retries, component), 2);
  t.is(await metricValue(stageMetrics.waitingSeconds, component), 12);
  t.regex(lines[1]!, /LITMINE_STORE_UNAVAILABLE: .*retry 2 in 1\.0 s \(waiting 12 s\)/);

  clock += 3_000;
  notice.recovered();
  t.is(await metricValue(stageMetrics.waitingSeconds, component), 0);
  t.regex(lines.at(-1)!, /recovered after 15\.0 s/);
  notice.recovered();
  t.is(lines.length, 3, 'a second success prints nothing');
});
