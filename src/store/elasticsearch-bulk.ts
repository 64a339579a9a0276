/**
 * The Elasticsearch store's bulk write: the client's bulk helper over pending documents, with items
 * answered 429 sent again with exponential backoff, and every other refusal reported per op (the
 * index stage dead-letters exactly those). Used by elasticsearch-store.ts after the write plan.
 */
import type { Client } from '@elastic/elasticsearch';
import { LitmineError } from '../errors.js';
import { type ElasticsearchStoreOptions, describe, nodeHost } from './elasticsearch-client.js';
import type { PendingDoc } from './elasticsearch-documents.js';
import { storeErrorCode } from './elasticsearch-errors.js';
import type { IndexKind } from './elasticsearch-mappings.js';
import type { StoreOp } from './store.js';

export interface BulkContext {
  client: Client;
  names: Record<IndexKind, string>;
  options: ElasticsearchStoreOptions;
  counters: BulkCounters;
}

/**
 * Writes with the bulk helper; returns the ops whose documents the server refused, with a reason.
 * Items answered 429 (write queue full) are sent again with exponential backoff (wait, 2×wait,
 * 4×wait, … plus jitter) up to `retries` times; only then do they count as rejected.
 */
export async function bulkWrite(r: BulkContext, docs: PendingDoc[]): Promise<Map<StoreOp, string>> {
  const failures = new Map<StoreOp, string>();
  const b = r.options.bulk ?? {};
  const retries = b.retries ?? 5;
  const wait = b.wait ?? 500;
  let pending = docs;
  for (let attempt = 0; pending.length; attempt++) {
    const overloaded = await bulkOnce(r, pending, failures);
    if (!overloaded.length) break;
    if (attempt >= retries) {
      for (const d of overloaded) {
        if (!failures.has(d.op)) failures.set(d.op, `${d.kind} ${d.id}: still answered 429 (write queue full) after ${retries} retries`);
      }
      r.counters.failed += overloaded.length;
      break;
    }
    r.counters.retried += overloaded.length;
    await new Promise((r) => setTimeout(r, wait * 2 ** attempt * (1 + Math.random() * 0.2)));
    pending = overloaded;
  }
  return failures;
}

/** One pass of the bulk helper; returns the documents answered 429, records other refusals. */
async function bulkOnce(r: BulkContext, docs: PendingDoc[], failures: Map<StoreOp, string>): Promise<PendingDoc[]> {
  const overloaded: PendingDoc[] = [];
  const byAction = new Map<string, PendingDoc>();
  for (const d of docs) byAction.set(`${r.names[d.kind]}\u0000${d.id}`, d);
  const b = r.options.bulk ?? {};
  try {
    const stats = await r.client.helpers.bulk<PendingDoc>({
      datasource: docs,
      flushBytes: b.flushBytes ?? 5_000_000,
      flushInterval: b.flushInterval ?? 1_000,
      concurrency: b.concurrency ?? 2,
      // 429s come back to onDrop at once; #bulk retries them with a growing wait.
      retries: 0,
      onDocument: (d) => {
        const meta = { _index: r.names[d.kind], _id: d.id };
        if (d.delete) return { delete: meta };
        if (d.update) return [{ update: meta }, { doc: d.update }];
        return [{ index: meta }, d.body!];
      },
      onDrop: (dropped) => {
        const action = dropped.operation as unknown as Record<string, { _index: string; _id: string }>;
        const meta = Object.values(action)[0]!;
        const doc = byAction.get(`${meta._index}\u0000${meta._id}`);
        if (!doc) return;
        if (dropped.status === 429) {
          overloaded.push(doc);
          return;
        }
        // A delete or an entity update of something already gone is what we wanted.
        if (dropped.status === 404 && (doc.delete || doc.update)) return;
        const e = dropped.error;
        const reason = `${e?.type ?? dropped.status}: ${e?.reason ?? 'rejected'}${e?.caused_by ? ` (${e.caused_by.reason})` : ''}`;
        r.counters.failed += 1;
        if (!failures.has(doc.op)) failures.set(doc.op, `${doc.kind} ${doc.id}: ${reason}`);
      },
    });
    r.counters.successful += stats.successful;
  } catch (err) {
    throw new LitmineError(storeErrorCode(err), `elasticsearch ${nodeHost(r.options.node)}: bulk write failed: ${describe(err)}`, {
      cause: err,
    });
  }
  return overloaded;
}

/** The server's answer to our bulk writes, counted for metrics and tests. */
export interface BulkCounters {
  retried: number;
  failed: number;
  successful: number;
}
