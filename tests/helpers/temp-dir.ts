import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deferCleanup } from './cleanup.ts';

/**
 * A fresh temporary directory, removed after the test file. Kept short because Unix socket
 * paths are limited to ~107 bytes.
 */
export async function makeTempDir(prefix = 'ca-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  deferCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
