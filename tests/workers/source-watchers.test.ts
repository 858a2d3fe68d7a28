import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/runtime/logger.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { SourceWatchers } from '../../src/workers/source-watchers.ts';

/** A file system whose watches the test drives by hand. */
function fakeWatching() {
  const armed: Array<{ root: string; change: (path: string | null) => void; fail: (error: Error) => void; stopped: boolean }> = [];
  return {
    armed,
    fs: {
      watch(root: string, change: (path: string | null) => void, fail?: (error: Error) => void) {
        if (root === '/unwatchable') throw new Error('EMFILE');
        const entry = { root, change, fail: fail!, stopped: false };
        armed.push(entry);
        return () => (entry.stopped = true);
      },
    },
  };
}

describe('SourceWatchers', () => {
  it('reports changes outside the ignored dir, counts failures, and re-arms only after a growing delay', () => {
    const { armed, fs } = fakeWatching();
    const changed: string[] = [];
    const paths: Array<string | null> = [];
    const failures: Array<[string, number]> = [];
    const watchers = new SourceWatchers({
      fs,
      logger: createLogger(nodeRuntime, { level: 'silent' }),
      ignoredDir: '/src/data',
      onChange: (root, path) => (changed.push(root), paths.push(path)),
      onFailure: (root, retryInMs) => failures.push([root, retryInMs]),
    });
    watchers.watch('/src');
    watchers.watch('/src');
    expect(armed).toHaveLength(1);
    armed[0]!.change('/src/data/code_analysis.db-wal');
    armed[0]!.change('/src/data');
    expect(changed).toEqual([]);
    armed[0]!.change('/src/a.py');
    armed[0]!.change(null);
    expect(changed).toEqual(['/src', '/src']);
    // What changed, when the platform says: the indexer updates that file alone.
    expect(paths).toEqual(['/src/a.py', null]);

    armed[0]!.fail(new Error('ELOOP: too many symbolic links'));
    expect(failures).toEqual([['/src', 1_000]]);
    expect(watchers.stats()).toEqual({ watch_errors: 1, last_watch_error: '/src: ELOOP: too many symbolic links' });
    watchers.watch('/src');
    expect(armed).toHaveLength(1); // not before its retry time

    // Past the delay it is armed again; a second failure in a row doubles the delay, an event resets it.
    const realNow = Date.now;
    try {
      Date.now = () => realNow() + 1_500;
      watchers.watch('/src');
      expect(armed).toHaveLength(2);
      armed[1]!.fail(new Error('again'));
      expect(failures.at(-1)).toEqual(['/src', 2_000]);
      Date.now = () => realNow() + 10_000;
      watchers.watch('/src');
      armed[2]!.change('/src/b.py');
      armed[2]!.fail(new Error('once more'));
      expect(failures.at(-1)).toEqual(['/src', 1_000]);
    } finally {
      Date.now = realNow;
    }
    expect(watchers.stats().watch_errors).toBe(3);

    watchers.watch('/unwatchable');
    watchers.watch('/other');
    watchers.unwatchAll();
    expect(armed.at(-1)).toMatchObject({ root: '/other', stopped: true });
  });
});
