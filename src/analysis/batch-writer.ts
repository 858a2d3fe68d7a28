import type { CodeDatabase, FileTouch, FileWrite } from '../db/code-database.ts';
import { RpcError } from '../ipc/errors.ts';

/** The driver went away: stop this scan; the next one carries on where it stopped. */
export function isConnectionLoss(error: unknown): boolean {
  return error instanceof RpcError && (error.is('CONNECTION_ERROR') || error.is('SHUTTING_DOWN'));
}

/** When a batch is written: this many files, or this many bytes of rows (about), whichever comes first. */
const MAX_FILES = 150;
const MAX_BYTES = 768 * 1024;

/** Rough size of a file's rows on the wire, to keep batches (and the memory they hold) bounded. */
function weight(write: FileWrite): number {
  let bytes = 200 + write.content.references.names.length + write.content.references.positions.length * 1.4;
  for (const symbol of write.content.symbols) bytes += 120 + symbol.qualified_name.length + (symbol.signature?.length ?? 0) + (symbol.docstring?.length ?? 0);
  return bytes;
}

/**
 * Batches being written or waiting their turn, at most: parsing goes on while one is
 * written and the next waits on the driver. With parsing on every core the driver gets a
 * share of them only, and a batch often took longer to write than the next to fill:
 * indexing stopped until it was written.
 */
const MAX_PENDING = 2;

/**
 * Collects parsed files and touched mtimes and writes them many at a time, one
 * transaction per batch, while parsing goes on: batches are written one after the other,
 * at most MAX_PENDING of them pending, and adding to a full one when as many are pending
 * waits for the oldest. A batch the database refuses is written again file by file, so one
 * bad file keeps no other out (it is reported); a lost driver is thrown by the next add or
 * flush, and the batches after it are not tried.
 */
export class BatchWriter {
  private saved: FileWrite[] = [];
  private touched: FileTouch[] = [];
  private bytes = 0;
  /** The pending writes, oldest first; each starts when the one before it has ended. */
  private readonly writes: Array<Promise<void>> = [];
  private failure: unknown = null;

  constructor(
    private readonly code: CodeDatabase,
    private readonly projectId: number,
    /** Told of each batch once it is stored. */
    private readonly onWritten: (saved: FileWrite[], touched: FileTouch[]) => void,
    /** Told of a file the database refused (it is not stored; the next scan tries it again). */
    private readonly onRefused: (path: string, error: Error) => void,
  ) {}

  async save(write: FileWrite): Promise<void> {
    this.saved.push(write);
    this.bytes += weight(write);
    if (this.saved.length >= MAX_FILES || this.bytes >= MAX_BYTES) await this.flush(false);
  }

  async touch(touch: FileTouch): Promise<void> {
    this.touched.push(touch);
    if (this.touched.length >= MAX_FILES) await this.flush(false);
  }

  /** Start writing what is collected (once there is room for it); with `wait`, also wait until everything is written. */
  async flush(wait = true): Promise<void> {
    while (this.writes.length >= MAX_PENDING) await this.writes[0];
    if (this.failure) throw this.failure;
    if (this.saved.length + this.touched.length > 0) {
      const [saved, touched] = [this.saved, this.touched];
      this.saved = [];
      this.touched = [];
      this.bytes = 0;
      const write: Promise<void> = (this.writes.at(-1) ?? Promise.resolve())
        .then(() => (this.failure ? undefined : this.write(saved, touched)))
        .catch((error: unknown) => {
          this.failure ??= error;
        })
        .finally(() => this.writes.splice(this.writes.indexOf(write), 1));
      this.writes.push(write);
    }
    if (wait) {
      await Promise.all(this.writes);
      if (this.failure) throw this.failure;
    }
  }

  private async write(saved: FileWrite[], touched: FileTouch[]): Promise<void> {
    try {
      await this.code.writeFiles(this.projectId, saved, touched);
      this.onWritten(saved, touched);
      return;
    } catch (error) {
      if (isConnectionLoss(error)) throw error;
      if (saved.length === 1 && touched.length === 0) {
        this.onRefused(saved[0]!.file.path, error as Error);
        return;
      }
    }
    for (const write of saved) await this.write([write], []);
    if (touched.length > 0) await this.write([], touched);
  }
}
