import type { Runtime } from '../runtime/types.ts';

const WIDTH = 30;
/** Without a terminal, a line at most this often. */
const PLAIN_EVERY_MS = 2_000;

/**
 * Progress on stderr: redrawn in place on a terminal, an occasional plain line otherwise
 * (so logs and CI output stay readable).
 */
export function progressBar(runtime: Runtime, label: string, total: number) {
  const terminal = runtime.isTerminal('stderr');
  let lastPlain = 0;
  const render = (done: number, detail: string) => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * WIDTH);
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.round(ratio * 100)}% ${done}/${total} ${detail}`;
  };
  return {
    update(done: number, detail = ''): void {
      if (terminal) runtime.writeStderr(`\r${render(done, detail)}\u001b[K`);
      else if (Date.now() - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = Date.now();
        runtime.writeStderr(`${render(done, detail)}\n`);
      }
    },
    finish(done: number, detail = ''): void {
      runtime.writeStderr(`${terminal ? '\r' : ''}${render(done, detail)}${terminal ? '\u001b[K' : ''}\n`);
    },
  };
}
