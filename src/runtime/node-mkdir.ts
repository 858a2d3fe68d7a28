import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p` that gives up with the reason: Node's own recursive mkdir spins for ever
 * (100 % CPU) where a component can never be created, such as anything under /proc. Here
 * each missing component is created once, from the deepest existing one down.
 */
export async function makeDirectories(path: string, mode: number | undefined): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    const info = await stat(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR', path: at });
      break;
    }
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const directory of missing.reverse()) {
    await mkdir(directory, { mode }).catch(async (error: NodeJS.ErrnoException) => {
      // Made meanwhile by someone else: fine, if it is a directory.
      if (error.code !== 'EEXIST' || !(await stat(directory)).isDirectory()) throw error;
    });
  }
}
