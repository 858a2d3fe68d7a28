import type { SocketConnection } from '../runtime/types.ts';

export interface FlowLimits {
  /** Requests handed to the handler and not answered yet, before the connection is no longer read. */
  maxPending: number;
  /** Bytes of answers the peer has not taken yet, before the connection is no longer read. */
  maxUnsentBytes: number;
  /** A frame must arrive whole within this long of its first byte (counted while it is read). */
  frameTimeoutMs: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = { maxPending: 1024, maxUnsentBytes: 8 * 1024 * 1024, frameTimeoutMs: 10_000 };

/**
 * What one client may hold of the server (issue 14, case 5): a connection with too many
 * requests unanswered, or too many answer bytes it does not read, is no longer read from
 * until it catches up (the operating system then holds its writes back: backpressure, no
 * error); a frame that starts and does not arrive whole in time ends the connection.
 */
export class ConnectionFlow {
  private pending = 0;
  private paused = false;
  private partial = false;
  private frameTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly readyListeners: Array<() => void> = [];

  constructor(
    private readonly socket: SocketConnection,
    private readonly limits: FlowLimits,
    private readonly onFrameTimeout: () => void,
  ) {
    socket.onDrain(() => this.update());
  }

  /**
   * At a limit: no further request may go to the handler now. The frames of a chunk already
   * read wait (the caller holds them) until `onReady`, so the cap on pending requests is exact.
   */
  get full(): boolean {
    return this.pending >= this.limits.maxPending || this.socket.unsentBytes >= this.limits.maxUnsentBytes;
  }

  /** Called each time the connection is no longer at a limit (it is read again). */
  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  /** A request went to the handler. */
  started(): void {
    this.pending++;
    this.update();
  }

  /** Its answer was written (or given up because the connection closed). */
  answered(): void {
    this.pending--;
    this.update();
  }

  /**
   * The decoder took a chunk: a frame is partly received (`partial`), and `completed` frames
   * came out whole. A new partial frame gets a fresh timer; none, no timer.
   */
  received(partial: boolean, completed: number): void {
    const fresh = partial && (!this.partial || completed > 0);
    this.partial = partial;
    if (!partial || fresh) this.clearTimer();
    if (fresh) this.armTimer();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private update(): void {
    if (this.stopped) return;
    const full = this.full;
    if (full && !this.paused) {
      this.paused = true;
      this.socket.pause();
      // Not reading is the server's doing: the frame's time does not run meanwhile.
      this.clearTimer();
    } else if (!full && this.paused) {
      this.paused = false;
      this.socket.resume();
      if (this.partial) this.armTimer();
      for (const listener of this.readyListeners) listener();
    }
  }

  private armTimer(): void {
    if (this.paused || this.stopped) return;
    this.frameTimer = setTimeout(() => {
      this.frameTimer = undefined;
      this.onFrameTimeout();
    }, this.limits.frameTimeoutMs);
  }

  private clearTimer(): void {
    if (this.frameTimer !== undefined) clearTimeout(this.frameTimer);
    this.frameTimer = undefined;
  }
}
