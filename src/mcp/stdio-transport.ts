// @ts-types="@modelcontextprotocol/sdk/shared/transport" (Deno: the package's wildcard export names no .d.ts for a .js path)
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
// @ts-types="@modelcontextprotocol/sdk/types" (Deno: the package's wildcard export names no .d.ts for a .js path)
import { ErrorCode, type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Runtime } from '../runtime/types.ts';

/**
 * MCP's stdio transport over the Runtime (so it runs on Node and Deno alike): one JSON-RPC
 * message per line on stdin and stdout, nothing else on stdout. A line that is not JSON or
 * not a JSON-RPC message is answered with the spec's error (-32700, -32600) and skipped.
 * When stdin ends it closes, once the requests already received are answered.
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;
  private inputEnded = false;
  /** Ids of requests received and not answered yet. */
  private readonly unanswered = new Set<string | number>();

  constructor(private readonly runtime: Runtime) {}

  async start(): Promise<void> {
    void this.read();
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of this.runtime.readStdin()) {
        if (this.closed) break;
        pending += decoder.decode(chunk, { stream: true });
        for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n')) {
          const line = pending.slice(0, end).replace(/\r$/, '');
          pending = pending.slice(end + 1);
          if (line.trim() !== '') this.receive(line);
        }
      }
    } catch (error) {
      this.onerror?.(error as Error);
    }
    this.inputEnded = true;
    if (this.unanswered.size === 0) await this.close();
  }

  private receive(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.reject(ErrorCode.ParseError, 'Parse error: a line on stdin is not JSON');
      return;
    }
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (!message.success) {
      const id = (parsed as { id?: unknown } | null)?.id;
      this.reject(ErrorCode.InvalidRequest, 'Invalid Request: not a JSON-RPC 2.0 message', typeof id === 'string' || typeof id === 'number' ? id : null);
      return;
    }
    if ('method' in message.data && 'id' in message.data) this.unanswered.add(message.data.id);
    this.onmessage?.(message.data);
  }

  private reject(code: number, message: string, id: string | number | null = null): void {
    this.runtime.writeStdout(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    this.runtime.writeStdout(`${JSON.stringify(message)}\n`);
    if (!('method' in message) && 'id' in message && message.id !== undefined) {
      this.unanswered.delete(message.id);
      if (this.inputEnded && this.unanswered.size === 0) await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
