import type { Runtime } from '../runtime/types.ts';

/**
 * Whether something accepts connections on a Unix socket path right now, through a fresh
 * connection (an open one keeps working after its socket file is deleted, so a pooled
 * client cannot tell). Resolves with why not — the file is missing, nothing listens, no
 * answer in time — or null when a connection was accepted. Never waits past `timeoutMs`.
 */
export async function probeSocket(runtime: Pick<Runtime, 'fs' | 'connectUnix'>, path: string, timeoutMs: number): Promise<string | null> {
  if ((await runtime.fs.stat(path).catch(() => null)) === null) return `no socket file at ${path}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no connection to ${path} within ${timeoutMs} ms`), timeoutMs);
  });
  const attempt = runtime.connectUnix(path).then(
    (connection) => {
      connection.destroy();
      return null;
    },
    (error: Error) => `nothing listens on ${path} (${error.message})`,
  );
  try {
    return await Promise.race([attempt, late]);
  } finally {
    clearTimeout(timer);
  }
}
