/**
 * Keeps a consumer's group membership alive while long work (model inference) runs: heartbeats
 * every few seconds until the work settles. Kafka would otherwise rebalance past the session timeout.
 *
 *   const annotations = await withHeartbeat(context, () => annotateArticles(articles, annotator));
 */
import type { BatchContext } from '../src/log/log.js';

export async function withHeartbeat<T>(context: Pick<BatchContext, 'heartbeat'>, work: () => Promise<T>, everyMs = 3000): Promise<T> {
  const beat = setInterval(() => void context.heartbeat().catch(() => undefined), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
}
