/**
 * litmine's topics: names from configuration, partitions and cleanup per topic. Created idempotently
 * at start by every topology (`ensureTopics`). The README's topic table documents the same.
 *
 *   await log.ensureTopics(topicSpecs(config));
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { TopicSpec } from '../src/log/log.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;

export function topicSpecs(config: Pick<LitmineConfig, 'topics' | 'log'>, partitions = config.log.kafka.partitions): TopicSpec[] {
  const t = config.topics;
  return [
    // Latest version of every article, forever: the source of replays when a model is promoted.
    { name: t.articles, partitions, cleanup: 'compact' },
    // Latest annotation per document (a replay with a new model overwrites by key).
    { name: t.annotations, partitions, cleanup: 'compact' },
    // Mention and relation streams for knowledge graphs: time-retained, keyed by entity / relation.
    { name: t.entities, partitions, cleanup: 'delete', retentionMs: 4 * WEEK_MS },
    { name: t.relations, partitions, cleanup: 'delete', retentionMs: 4 * WEEK_MS },
    // Dead letters are kept long enough to inspect and replay.
    { name: t.deadLetters, partitions: 1, cleanup: 'delete', retentionMs: 4 * WEEK_MS },
  ];
}
