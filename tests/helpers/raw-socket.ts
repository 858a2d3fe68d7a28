import { createConnection, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../../src/ipc/frame-codec.ts';
import { deferCleanup } from './cleanup.ts';
import { waitFor } from './wait-for.ts';

/**
 * A bare socket to the driver that sends exactly the bytes a test wants (malformed frames,
 * reused ids) and collects the responses in arrival order.
 */
export class RawSocket {
  readonly responses: Array<Record<string, unknown>> = [];
  closed = false;
  private readonly frames = new FrameDecoder(64 * 1024 * 1024);

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      for (const body of this.frames.push(chunk)) this.responses.push(JSON.parse(new TextDecoder().decode(body)));
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  /** `reading: false`: a client that never reads what the server answers. */
  static connect(path: string, options: { reading?: boolean } = {}): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path, () => {
        const raw = new RawSocket(socket);
        if (options.reading === false) socket.pause();
        deferCleanup(() => raw.close());
        resolve(raw);
      });
      socket.once('error', reject);
    });
  }

  sendBytes(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** A frame with an arbitrary body (the text need not be JSON). */
  sendBody(body: string): void {
    const bytes = new TextEncoder().encode(body);
    const frame = new Uint8Array(4 + bytes.length);
    new DataView(frame.buffer).setUint32(0, bytes.length, false);
    frame.set(bytes, 4);
    this.sendBytes(frame);
  }

  send(message: unknown): void {
    this.sendBytes(encodeFrame(message));
  }

  request(id: unknown, method: string, params?: unknown, extra: Record<string, unknown> = {}): void {
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }), ...extra });
  }

  /** Wait for the n-th response (1-based) and return it. */
  async response(n = this.responses.length + 1): Promise<Record<string, unknown>> {
    await waitFor(() => this.responses.length >= n, { message: `response #${n}` });
    return this.responses[n - 1]!;
  }

  /** Wait for the response carrying `id`. */
  async responseTo(id: unknown): Promise<Record<string, unknown>> {
    return waitFor(() => this.responses.find((response) => response.id === id), { message: `response to id ${JSON.stringify(id)}` });
  }

  close(): void {
    this.socket.destroy();
  }
}
