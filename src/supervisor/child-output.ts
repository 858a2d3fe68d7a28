import { type ChildEvent, parseChildEvent } from '../ipc/child-events.ts';
import { splitLines } from './line-splitter.ts';

export interface OutputHandlers {
  /** Where each line goes (the service's log); heartbeats are not written. */
  write(line: string): void;
  onEvent?(event: ChildEvent): void;
  /** Every line that is not an event. */
  onLine?(line: string): void;
}

/** Read a child's output stream to its end, line by line; resolves once it is drained. */
export async function pumpLines(stream: AsyncIterable<Uint8Array> | null, handlers: OutputHandlers): Promise<void> {
  if (!stream) return;
  const lines = splitLines((line) => {
    const event = parseChildEvent(line);
    if (event) handlers.onEvent?.(event);
    else handlers.onLine?.(line);
    if (event?.event !== 'heartbeat') handlers.write(`${line}\n`);
  });
  try {
    for await (const chunk of stream) lines.push(chunk);
  } catch {
    // The pipe broke with the process; what was read is logged.
  }
  lines.end();
}
