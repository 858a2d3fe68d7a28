import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { StdioTransport } from '../../src/mcp/stdio-transport.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { Runtime } from '../../src/runtime/types.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** A runtime whose stdin is fed by the test and whose stdout is collected. */
function fakeStdio(options: { failAfter?: boolean } = {}) {
  const encoder = new TextEncoder();
  let push: (chunk: Uint8Array | null) => void = () => undefined;
  const queue: Array<Uint8Array | null> = [];
  const written: string[] = [];
  async function* stdin(): AsyncIterable<Uint8Array> {
    for (;;) {
      const chunk = queue.length > 0 ? queue.shift()! : await new Promise<Uint8Array | null>((resolve) => (push = resolve));
      if (chunk === null) {
        if (options.failAfter) throw new Error('stdin broke');
        return;
      }
      yield chunk;
    }
  }
  const feed = (chunk: Uint8Array | null) => {
    const waiting = push;
    push = (next) => queue.push(next);
    waiting(chunk);
  };
  const runtime = { ...nodeRuntime, readStdin: stdin, writeStdout: (text: string) => written.push(text) } as Runtime;
  return {
    runtime,
    write: (text: string) => feed(encoder.encode(text)),
    end: () => feed(null),
    lines: () => written.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>),
  };
}

async function started(stdio: ReturnType<typeof fakeStdio>) {
  const transport = new StdioTransport(stdio.runtime);
  const received: JSONRPCMessage[] = [];
  const errors: Error[] = [];
  let closed = 0;
  transport.onmessage = (message) => received.push(message);
  transport.onerror = (error) => errors.push(error);
  transport.onclose = () => closed++;
  await transport.start();
  return { transport, received, errors, closed: () => closed };
}

describe('StdioTransport', () => {
  it('reads one message per line, whatever the chunks, and writes one per line', async () => {
    const stdio = fakeStdio();
    const { transport, received } = await started(stdio);
    stdio.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\r\n\n{"jsonrpc":"2.0","id":7,');
    stdio.write('"method":"ping"}\n');
    await waitFor(() => received.length === 2);
    expect(received).toEqual([
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 7, method: 'ping' },
    ]);
    await transport.send({ jsonrpc: '2.0', id: 7, result: {} });
    expect(stdio.lines()).toEqual([{ jsonrpc: '2.0', id: 7, result: {} }]);
  });

  it('answers a line that is not JSON with -32700 and one that is not JSON-RPC with -32600, and goes on', async () => {
    const stdio = fakeStdio();
    const { received } = await started(stdio);
    stdio.write('{oops\n{"id":3,"method":5}\n[1]\n{"jsonrpc":"2.0","id":"a","method":"ping"}\n');
    await waitFor(() => received.length === 1);
    expect(stdio.lines()).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringContaining('not JSON') } },
      { jsonrpc: '2.0', id: 3, error: { code: -32600, message: expect.stringContaining('not a JSON-RPC') } },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.any(String) } },
    ]);
  });

  it('when stdin ends, closes once the requests it received are answered, then sends nothing more', async () => {
    const stdio = fakeStdio();
    const { transport, received, closed } = await started(stdio);
    stdio.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    stdio.end();
    await waitFor(() => received.length === 2);
    await transport.send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } });
    await transport.send({ jsonrpc: '2.0', id: 1, result: {} });
    expect(closed()).toBe(0);
    await transport.send({ jsonrpc: '2.0', id: 2, result: {} });
    await waitFor(() => closed() === 1);
    await transport.send({ jsonrpc: '2.0', id: 3, result: {} });
    await transport.close();
    expect(stdio.lines().map((line) => line.id ?? line.method)).toEqual(['notifications/message', 1, 2]);
    expect(closed()).toBe(1);
  });

  it('closes at once when stdin ends with nothing pending, and reports a failing stdin', async () => {
    const stdio = fakeStdio({ failAfter: true });
    const { errors, closed } = await started(stdio);
    stdio.end();
    await waitFor(() => closed() === 1);
    expect(errors.map((error) => error.message)).toEqual(['stdin broke']);
  });
});
