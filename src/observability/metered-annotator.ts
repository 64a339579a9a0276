/**
 * An Annotator that times every model call and counts its sentences in the stage metrics
 * (src/observability/metrics.ts); the annotate and reprocess topologies wrap theirs in it.
 *
 *   const annotator = meteredAnnotator(onnxAnnotator, 'annotate');
 */
import type { Annotator } from '../nlp/annotator.js';
import { stageMetrics } from './metrics.js';

export function meteredAnnotator(annotator: Annotator, stage: string): Annotator {
  return {
    models: annotator.models,
    // The normalizer rides along: the annotate stage normalizes after the (timed) model calls.
    ...(annotator.normalizer ? { normalizer: annotator.normalizer } : {}),
    async annotate(sentences) {
      const end = stageMetrics.modelSeconds.startTimer({ stage });
      try {
        return await annotator.annotate(sentences);
      } finally {
        end();
        stageMetrics.modelSentences.inc({ stage }, sentences.length);
      }
    },
    close: () => annotator.close(),
  };
}
