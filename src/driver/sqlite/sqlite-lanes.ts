import { RpcError } from '../../ipc/errors.ts';
import type { Runtime, ThreadEntry, WorkerThread } from '../../runtime/types.ts';
import type { BackupFiles } from '../types.ts';
import { type ConnectionSettings, type CoreCall, ConnectionRunner } from './sqlite-calls.ts';
import type { FromThread, ThreadError, ToThread } from './thread-messages.ts';

/** A SQLite connection the driver sends calls to: on its own thread, or on the calling one. */
export interface SqliteLane {
  /** Calls sent and not answered yet. */
  readonly load: number;
  /** False once its thread has ended: the driver opens a new one. */
  readonly alive: boolean;
  call(call: CoreCall): Promise<{ value: unknown; generation: number }>;
  close(): Promise<void>;
}

/** An error from the thread: an RpcError as it was, a bug as a plain Error with its stack (so it is logged). */
function fromThread(error: ThreadError): Error {
  if (!error.stack) return RpcError.fromWire(error);
  const bug = new Error(error.message);
  bug.stack = error.stack;
  return bug;
}

/** The thread of a SQLite connection: sqlite-thread.ts, or its bundle in a build. */
export const SQLITE_THREAD: ThreadEntry = { source: new URL('./sqlite-thread.ts', import.meta.url).href, bundle: 'sqlite-thread.cjs' };

/** A connection on its own thread (sqlite-thread.ts). */
export class ThreadLane implements SqliteLane {
  private readonly pending = new Map<number, { resolve: (answer: { value: unknown; generation: number }) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private ended: Error | null = null;
  private closing: (() => void) | null = null;
  /** Posted before the thread said it listens; null once it has. */
  private unsent: ToThread[] | null = [];

  private constructor(
    private readonly thread: WorkerThread,
    private readonly settings: ConnectionSettings,
  ) {}

  static open(runtime: Runtime, settings: ConnectionSettings, files: BackupFiles): Promise<ThreadLane> {
    const lane = new ThreadLane(runtime.startThread(SQLITE_THREAD), settings);
    return new Promise((resolve, reject) => {
      lane.thread.onMessage((data) => {
        const message = data as FromThread;
        if (message.type === 'opened') {
          if (message.error) {
            reject(fromThread(message.error));
            void lane.thread.terminate();
          } else resolve(lane);
        } else lane.receive(message, files);
      });
      lane.thread.onExit((error) => {
        const reason = error?.message ?? 'it exited';
        lane.ended = new RpcError('INTERNAL_ERROR', `the SQLite ${settings.role} thread ended: ${reason}`);
        reject(lane.ended);
        for (const waiting of lane.pending.values()) waiting.reject(lane.ended);
        lane.pending.clear();
        lane.closing?.();
      });
      lane.post({ type: 'open', settings });
    });
  }

  get load(): number {
    return this.pending.size;
  }

  get alive(): boolean {
    return this.ended === null;
  }

  call(call: CoreCall): Promise<{ value: unknown; generation: number }> {
    if (this.ended) return Promise.reject(this.ended);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'call', id, ...call });
    });
  }

  /**
   * The thread closes its connection (a writer rolls back and checkpoints first), then it
   * is ended; a thread still busy with a statement after `patienceMs` is ended as it is (its
   * statement stops with the process; SQLite recovers from the WAL on the next start).
   */
  async close(patienceMs = 5_000): Promise<void> {
    if (this.ended) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.closing = resolve;
      timer = setTimeout(resolve, patienceMs);
      this.post({ type: 'close' });
    });
    clearTimeout(timer);
    await this.thread.terminate();
  }

  private post(message: ToThread): void {
    if (this.unsent) this.unsent.push(message);
    else this.thread.postMessage(message);
  }

  private receive(message: FromThread, files: BackupFiles): void {
    switch (message.type) {
      case 'ready': {
        const unsent = this.unsent ?? [];
        this.unsent = null;
        for (const queued of unsent) this.thread.postMessage(queued);
        break;
      }
      case 'answer': {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.ok) waiting?.resolve({ value: message.value, generation: message.generation });
        else waiting?.reject(fromThread(message.error));
        break;
      }
      case 'file':
        void (files[message.operation] as (...args: unknown[]) => Promise<unknown>)(...message.args).then(
          (value) => this.post({ type: 'file-result', id: message.id, ok: true, value }),
          (error: Error) => this.post({ type: 'file-result', id: message.id, ok: false, message: `${this.settings.role}: ${error.message}` }),
        );
        break;
      case 'closed':
        this.closing?.();
        break;
    }
  }
}

/** A connection on the calling thread: the same runner, without the hop (tests). */
export class InlineLane implements SqliteLane {
  private inFlight = 0;
  private closed = false;

  private constructor(private readonly runner: ConnectionRunner) {}

  static async open(settings: ConnectionSettings, files: BackupFiles): Promise<InlineLane> {
    return new InlineLane(await ConnectionRunner.open(settings, files));
  }

  get load(): number {
    return this.inFlight;
  }

  get alive(): boolean {
    return !this.closed;
  }

  async call(call: CoreCall): Promise<{ value: unknown; generation: number }> {
    this.inFlight++;
    try {
      const answer = await this.runner.run(call);
      if (!answer.ok) throw answer.bug ?? answer.error;
      return { value: answer.value, generation: answer.generation };
    } finally {
      this.inFlight--;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.runner.close();
  }
}
