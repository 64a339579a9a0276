/**
 * The store write shared by the index and reprocess topologies: each record's store operations go
 * in one `apply`, and every operation the store refuses for good marks its record with
 * LITMINE_STORE_REJECTED and the store's reason (a RecordBatch `settle` step).
 *
 *   const written = await ops.settle((perRecord) => applyPerRecord(store, 'index', perRecord));
 */
import { LitmineError } from '../src/errors.js';
import { stageMetrics } from '../src/observability/metrics.js';
import type { SearchStore, StoreOp } from '../src/store/store.js';

export async function applyPerRecord(store: SearchStore, stage: string, perRecord: StoreOp[][]): Promise<Map<number, LitmineError>> {
  const owner = new Map<StoreOp, number>();
  perRecord.forEach((ops, i) => {
    for (const op of ops) owner.set(op, i);
  });
  const end = stageMetrics.storeSeconds.startTimer({ stage });
  const result = await store.apply(perRecord.flat()).finally(end);
  const refused = new Map<number, LitmineError>();
  for (const { op, reason } of result.rejected) {
    const i = owner.get(op);
    if (i === undefined || refused.has(i)) continue;
    refused.set(i, new LitmineError('LITMINE_STORE_REJECTED', `${describeOp(op)}: ${reason}`));
  }
  return refused;
}

function describeOp(op: StoreOp): string {
  if (op.op === 'deleteArticle') return `delete of ${op.documentId}`;
  if (op.op === 'upsertArticle') return `article ${op.article.id}`;
  return `annotation of ${op.annotation.documentId}`;
}
