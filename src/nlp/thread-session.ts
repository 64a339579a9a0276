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

type Waiter<T> = { resolve: (value: T) => void; reject: (err: Error) => void };

export class ThreadSession implements BatchRunner {
  private readonly pending = new Map<number, Waiter<OutputTensor>>();
  private nextId = 0;
  private ended: Error | null = null;
  /** Set until the thread has opened the model (or failed to). */
  private opening: Waiter<'cpu' | 'cuda'> | null = null;
  private provider: 'cpu' | 'cuda' = 'cpu';

  private constructor(
    private readonly worker: Worker,
    readonly path: string,
    private readonly onWarning: (message: string) => void,
  ) {
    worker.on('message', (m: FromThread) => this.receive(m));
    worker.on('error', (err: Error) => this.end(`the model thread failed: ${err.message}`));
    worker.on('exit', (code: number) => this.end(`the model thread exited (code ${code})`));
  }

  static async create(path: string, options: OnnxSessionOptions): Promise<ThreadSession> {
    const { onWarning = (w: string) => process.emitWarning(w), ...rest } = options;
    const s = new ThreadSession(startThread({ path, options: rest }), path, onWarning);
    s.provider = await new Promise<'cpu' | 'cuda'>((resolve, reject) => {
      s.opening = { resolve, reject };
    }).catch(async (err: Error) => {
      await s.worker.terminate();
      throw err;
    });
    s.worker.unref();
    return s;
  }

  /** The provider actually in use. */
  get executionProvider(): 'cpu' | 'cuda' {
    return this.provider;
  }

  private receive(m: FromThread): void {
    if (m.type === 'warning') return this.onWarning(m.message);
    if (m.type === 'open' || (m.type === 'error' && m.id === null)) {
      if (m.type === 'open') this.opening?.resolve(m.executionProvider);
      else this.opening?.reject(rebuild(m, this.path));
      this.opening = null;
      return;
    }
    const p = this.pending.get(m.id!);
    if (!p) return;
    this.pending.delete(m.id!);
    if (this.pending.size === 0) this.worker.unref();
    if (m.type === 'result') p.resolve({ data: m.data, dims: m.dims });
    else p.reject(rebuild(m, this.path));
  }

  /** The thread is gone: whatever waits on it fails, and so does every later run. */
  private end(reason: string): void {
    const code = this.opening ? 'LITMINE_MODEL_LOAD' : 'LITMINE_ANNOTATE';
    this.ended ??= new LitmineError(code, `${this.path}: ${reason}${this.opening ? ' while loading' : ''}`);
    this.opening?.reject(this.ended);
    this.opening = null;
    for (const p of this.pending.values()) p.reject(this.ended);
    this.pending.clear();
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
