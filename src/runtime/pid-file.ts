import type { Runtime } from './types.ts';

/** Another live process holds the PID file. */
export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';
  constructor(
    readonly pid: number,
    what: string,
  ) {
    super(`${what} is already running, pid ${pid}`);
  }
}

/**
 * A PID file: claimed by writing our pid atomically after checking that no live process
 * holds it; a file naming a dead process is stale and is replaced.
 */
export class PidFile {
  constructor(
    private readonly runtime: Runtime,
    readonly path: string,
    private readonly what = 'the process',
  ) {}

  /** The pid written in the file, or null when there is none or it is not a pid. */
  async read(): Promise<number | null> {
    let text: string;
    try {
      text = await this.runtime.fs.readText(this.path);
    } catch {
      return null;
    }
    const pid = Number.parseInt(text.trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  /** The pid of a live holder other than us, or null (a stale file counts as none). */
  async liveHolder(): Promise<number | null> {
    const pid = await this.read();
    return pid !== null && pid !== this.runtime.pid && this.runtime.isPidAlive(pid) ? pid : null;
  }

  async claim(): Promise<void> {
    const holder = await this.liveHolder();
    if (holder !== null) throw new AlreadyRunningError(holder, this.what);
    await this.runtime.fs.writeFileAtomic(this.path, `${this.runtime.pid}\n`);
  }

  /** Remove the file if it is still ours. */
  async release(): Promise<void> {
    if ((await this.read()) === this.runtime.pid) await this.runtime.fs.rm(this.path);
  }
}
