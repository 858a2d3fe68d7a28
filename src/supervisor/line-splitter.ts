/** Feed it chunks of a byte stream; it calls back once per complete text line. */
export function splitLines(onLine: (line: string) => void) {
  const decoder = new TextDecoder();
  let pending = '';
  return {
    push(chunk: Uint8Array): void {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        onLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    /** The stream ended: a last line without a newline still counts. */
    end(): void {
      pending += decoder.decode();
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
