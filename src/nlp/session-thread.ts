/**
 * The worker-thread side of ThreadSession (thread-session.ts): opens one OnnxSession from its
 * workerData and runs the padded batches posted to it, one at a time, posting each logits buffer
 * back without a copy. onnxruntime-node runs a session on the calling JS thread, so this is what
 * lets a model run while the main thread tokenises, decodes and talks to the log, and what lets
 * several sessions run at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { OnnxSession, type OnnxSessionOptions, type PaddedBatch } from './onnx-session.js';

export interface ThreadInit {
  path: string;
  options: Omit<OnnxSessionOptions, 'onWarning'>;
}

export type ToThread = { type: 'run'; id: number; batch: PaddedBatch } | { type: 'close' };

export type FromThread =
  | { type: 'open'; executionProvider: 'cpu' | 'cuda' }
  | { type: 'warning'; message: string }
  | { type: 'result'; id: number; data: Float32Array; dims: readonly number[] }
  | { type: 'error'; id: number | null; code?: string; message: string };

const port = parentPort!;
const init = workerData as ThreadInit;
const send = (m: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** Posts `m` moving `buffer`; false when the buffer cannot be moved. */
function moved(m: FromThread, buffer: ArrayBuffer): boolean {
  try {
    send(m, [buffer]);
    return true;
  } catch {
    return false;
  }
}

function failure(id: number | null, err: unknown): FromThread {
  const e = err as Error & { code?: unknown };
  return { type: 'error', id, message: e.message ?? String(err), ...(typeof e.code === 'string' ? { code: e.code } : {}) };
}

try {
  const session = await OnnxSession.create(init.path, {
    ...init.options,
    onWarning: (message) => send({ type: 'warning', message }),
  });
  port.on('message', async (m: ToThread) => {
    if (m.type === 'close') {
      await session.close();
      port.close();
      return;
    }
    try {
      const { data, dims } = await session.run(m.batch);
      // Move the buffer when the logits own all of it; otherwise, or where onnxruntime owns the memory
      // (CUDA's pinned outputs may not move), send a copy of the logits alone.
      const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      if (!(whole && moved({ type: 'result', id: m.id, data, dims }, data.buffer as ArrayBuffer))) {
        const copy = data.slice();
        send({ type: 'result', id: m.id, data: copy, dims }, [copy.buffer]);
      }
    } catch (err) {
      send(failure(m.id, err));
    }
  });
  send({ type: 'open', executionProvider: session.executionProvider });
} catch (err) {
  send(failure(null, err));
  port.close();
}
