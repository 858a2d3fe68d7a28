import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Everything the bench leaves behind — a temp directory and child processes — is undone
 * here, also when the bench fails or is interrupted: the exit hook kills what still runs.
 */
const children = new Set<ChildProcess>();
const dirs = new Set<string>();

function killAndRemove(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

process.once('exit', killAndRemove);
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

/** A fresh directory, short because Unix socket paths are limited to ~107 bytes. */
export async function makeScratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ca-bench-'));
  dirs.add(dir);
  return dir;
}

/** Kill this child when the bench exits, whatever the reason. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function cleanupNow(): void {
  killAndRemove();
  dirs.clear();
}
