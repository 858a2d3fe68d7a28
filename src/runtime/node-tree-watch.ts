import { type FSWatcher, watch } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** Errors that only mean a directory went away or cannot be read: that directory is left out, the watch goes on. */
const LOCAL_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM']);

/**
 * Watch a directory tree with one plain watcher per directory, found with lstat: symbolic
 * links are never followed, so a link cycle cannot confuse it (Node's own recursive watch
 * follows them and, on a cycle, reports ELOOP and misnames later events). New directories
 * are watched as they appear. Anything else that fails (the root, inotify limits) closes
 * the whole watch and is handed to `onError`, for the caller to count and re-arm.
 */
export function watchTree(root: string, onChange: (path: string | null) => void, onError: (error: Error) => void): () => void {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  const close = () => {
    closed = true;
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
  const fail = (error: Error) => {
    if (closed) return;
    close();
    onError(error);
  };
  /** Stop watching `dir` and everything under it (it was removed or replaced). */
  const drop = (dir: string) => {
    for (const [path, watcher] of watchers) {
      if (path === dir || path.startsWith(`${dir}${sep}`)) {
        watcher.close();
        watchers.delete(path);
      }
    }
  };
  const failed = (dir: string, error: unknown) => {
    if (dir !== root && LOCAL_ERRORS.has((error as NodeJS.ErrnoException).code ?? '')) drop(dir);
    else fail(error as Error);
  };
  const add = async (dir: string): Promise<void> => {
    if (closed || watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (_event, name) => {
        const changed = name ? join(dir, name.toString()) : null;
        onChange(changed ?? dir);
        // A new directory gets its own watcher; a removed one loses its watchers.
        if (changed) lstat(changed).then((info) => (info.isDirectory() ? add(changed) : drop(changed)), () => drop(changed));
      });
      watcher.on('error', (error) => failed(dir, error));
      watchers.set(dir, watcher);
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        // Dirent types come from the directory itself: a link to a directory is a link, not followed.
        if (entry.isDirectory()) await add(join(dir, entry.name));
      }
    } catch (error) {
      failed(dir, error);
    }
  };
  add(root).catch(fail);
  return close;
}
