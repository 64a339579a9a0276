/**
 * One onnxruntime session in its own worker thread (session-thread.ts), behind the BatchRunner
 * seam. onnxruntime-node's run() holds the calling JS thread for the whole batch, so a session on
 * the main thread stalls the event loop (log heartbeats, HTTP, the next batch's tensors) and two
 * such sessions never run at once. Here the inputs move to the thread and the logits move back
 * without copies; the thread keeps the process alive only while a batch is in flight.
 *
 *   const s = await ThreadSession.create('models/ner/model.onnx', { executionProvider: 'cpu', intraOpThreads: 2 });
 *   const { data, dims } = await s.run(batch);
 *   await s.close();
 */
import { Worker } from 'node:worker_threads';
import { type ErrorCode, LitmineError } from '../errors.js';
import type { OnnxSessionOptions, OutputTensor, PaddedBatch } from './onnx-session.js';
import type { BatchRunner } from './run-batches.js';
import type { FromThread, ThreadInit, ToThread } from './session-thread.js';

/** The thread's entry beside this file: the compiled .js, or the .ts source through tsx's loader. */
function startThread(init: ThreadInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./session-thread.js', here), { workerData: init });
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(new URL('./session-thread.ts', here).href)}); })`;
  return new Worker(boot, { eval: true, workerData: init });
}

function rebuild(m: { code?: string; message: string }, path: string): Error {
  const message = m.message.startsWith(path) ? m.message : `${path}: ${m.message}`;
  return m.code?.startsWith('LITMINE_') ? new LitmineError(m.code as ErrorCode, message) : new Error(message);
}

export class ThreadSession implements BatchRunner {
  private readonly pending = new Map<number, { resolve: (o: OutputTensor) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private ended: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly path: string,
    /** The provider actually in use. */
    readonly executionProvider: 'cpu' | 'cuda',
  ) {
    worker.on('message', (m: FromThread) => {
      if (m.type !== 'result' && m.type !== 'error') return;
      const p = m.id === null ? undefined : this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id!);
      if (this.pending.size === 0) worker.unref();
      if (m.type === 'result') p.resolve({ data: m.data, dims: m.dims });
      else p.reject(rebuild(m, path));
    });
    const end = (err: Error) => {
      this.ended ??= err;
      for (const p of this.pending.values()) p.reject(this.ended);
      this.pending.clear();
    };
    worker.on('error', (err) => end(new LitmineError('LITMINE_ANNOTATE', `${path}: the model thread failed: ${(err as Error).message}`)));
    worker.on('exit', (code) => end(new LitmineError('LITMINE_ANNOTATE', `${path}: the model thread exited (code ${code})`)));
    worker.unref();
  }

  static async create(path: string, options: OnnxSessionOptions): Promise<ThreadSession> {
    const { onWarning, ...rest } = options;
    const worker = startThread({ path, options: rest });
    let onMessage: (m: FromThread) => void = () => {};
    let onError: (err: Error) => void = () => {};
    let onExit: (code: number) => void = () => {};
    const provider = await new Promise<'cpu' | 'cuda'>((resolve, reject) => {
      onMessage = (m) => {
        if (m.type === 'warning') (onWarning ?? ((w: string) => process.emitWarning(w)))(m.message);
        else if (m.type === 'open') resolve(m.executionProvider);
        else if (m.type === 'error' && m.id === null) reject(rebuild(m, path));
      };
      onError = (err) => reject(new LitmineError('LITMINE_MODEL_LOAD', `${path}: the model thread failed to start: ${err.message}`));
      onExit = (code) => reject(new LitmineError('LITMINE_MODEL_LOAD', `${path}: the model thread exited (code ${code}) while loading`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    }).catch(async (err: Error) => {
      await worker.terminate();
      throw err;
    });
    // Only its own listeners: the Worker keeps internal ones of its own.
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    return new ThreadSession(worker, path, provider);
  }

  run(batch: PaddedBatch): Promise<OutputTensor> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise<OutputTensor>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      const message: ToThread = { type: 'run', id, batch };
      // The padded tensors are built for this run alone, so they move rather than copy.
      this.worker.postMessage(message, [batch.inputIds.buffer, batch.attentionMask.buffer, batch.tokenTypeIds.buffer] as ArrayBuffer[]);
    });
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = new LitmineError('LITMINE_ANNOTATE', `${this.path}: the session is closed`);
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ type: 'close' } satisfies ToThread);
    await exited;
  }
}
