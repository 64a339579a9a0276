/**
 * litmine's topics: names from configuration, partitions and cleanup per topic. Created idempotently
 * at start by every topology (`ensureTopics`). The README's topic table documents the same.
 *
 *   await log.ensureTopics(topicSpecs(config));
 */
import type { LitmineConfig } from '../src/config/config-schema.js';
import type { TopicSpec } from '../src/log/log.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;
// A long PMC full text is a few hundred kB of JSON; its annotation (sentences, mentions) several MB.
const LARGE_RECORDS = 32 * 1024 * 1024;
/**
 * Largest record value litmine produces: below the topics' max.message.bytes with room for key,
 * headers and batch overhead. Bigger records are dead-lettered with an excerpt instead of failing
 * the produce (and every retry of it).
 */
export const MAX_RECORD_BYTES = LARGE_RECORDS - 256 * 1024;
/** Bytes of an oversized record kept in its dead letter. */
export const OVERSIZED_EXCERPT_BYTES = 64 * 1024;

export function topicSpecs(config: Pick<LitmineConfig, 'topics' | 'log'>, partitions = config.log.kafka.partitions): TopicSpec[] {
  const t = config.topics;
  return [
    // Latest version of every article, forever: the source of replays when a model is promoted.
    { name: t.articles, partitions, cleanup: 'compact', maxMessageBytes: LARGE_RECORDS },
    // Latest annotation per document (a replay with a new model overwrites by key).
    { name: t.annotations, partitions, cleanup: 'compact', maxMessageBytes: LARGE_RECORDS },
    // Mention and relation streams for knowledge graphs: keyed by mention / relation id, so a replay
    // of the same annotation replaces its records, partitioned by entity / relation key so one
    // consumer sees all of an entity's mentions, and time-retained on top of that.
    // One produce carries a whole batch's mentions per partition: allow large record batches too.
    { name: t.entities, partitions, cleanup: 'compact,delete', retentionMs: 4 * WEEK_MS, maxMessageBytes: LARGE_RECORDS },
    { name: t.relations, partitions, cleanup: 'compact,delete', retentionMs: 4 * WEEK_MS, maxMessageBytes: LARGE_RECORDS },
    // Dead letters are kept long enough to inspect and replay.
    { name: t.deadLetters, partitions: 1, cleanup: 'delete', retentionMs: 4 * WEEK_MS, maxMessageBytes: LARGE_RECORDS },
  ];
}
