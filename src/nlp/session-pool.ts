/**
 * Several sessions of one model file, each in its own thread (thread-session.ts), behind the
 * BatchRunner seam, so that runBatches keeps that many batches running at once: the way to use more
 * cores than one session's intra-op threads scale to (e.g. 4 cores: 2 sessions × 2 threads). Each
 * run goes to an idle session.
 *
 *   const pool = await SessionPool.create('models/ner/model.onnx', { executionProvider: 'cpu', intraOpThreads: 1 }, 2);
 */
import type { ModelFolder } from './model-folder.js';
import type { OnnxSessionOptions, OutputTensor, PaddedBatch } from './onnx-session.js';
import type { BatchRunner } from './run-batches.js';
import { ThreadSession } from './thread-session.js';

export class SessionPool implements BatchRunner {
  private readonly idle: ThreadSession[];
  private readonly waiting: ((s: ThreadSession) => void)[] = [];

  private constructor(
    readonly path: string,
    private readonly sessions: ThreadSession[],
  ) {
    this.idle = [...sessions];
  }

  static async create(path: string, options: OnnxSessionOptions, size: number): Promise<SessionPool> {
    const sessions = await Promise.all(Array.from({ length: Math.max(1, size) }, () => ThreadSession.create(path, options)));
    return new SessionPool(path, sessions);
  }

  get concurrency(): number {
    return this.sessions.length;
  }

  get executionProvider(): 'cpu' | 'cuda' {
    return this.sessions[0]!.executionProvider;
  }

  async run(batch: PaddedBatch): Promise<OutputTensor> {
    const session = this.idle.pop() ?? (await new Promise<ThreadSession>((resolve) => this.waiting.push(resolve)));
    try {
      return await session.run(batch);
    } finally {
      const next = this.waiting.shift();
      if (next) next(session);
      else this.idle.push(session);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.close()));
  }
}

/** The runner for a model folder: one session in its own thread, or a pool of `sessions` of them. */
export async function folderRunner(folder: ModelFolder, options: OnnxSessionOptions & { sessions?: number }): Promise<BatchRunner> {
  const sessionOptions = { ...options, sessionConfig: folder.sessionConfig };
  const sessions = options.sessions ?? 1;
  return sessions > 1
    ? SessionPool.create(folder.modelPath, sessionOptions, sessions)
    : ThreadSession.create(folder.modelPath, sessionOptions);
}
