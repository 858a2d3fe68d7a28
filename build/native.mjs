#!/usr/bin/env node
// `npm run build:native` (also run after `npm install`, and by `npm run build`): compiles
// build/native/sqlite-deadline.c, the SQLite extension that stops statements at their
// deadline, with the machine's C compiler (the toolchain better-sqlite3 builds with) against
// the sqlite3ext.h better-sqlite3 ships. Nothing is downloaded. Skipped when up to date.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NATIVE_LIBRARY, REPO_ROOT } from './paths.mjs';

const source = join(REPO_ROOT, 'build/native/sqlite-deadline.c');
const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;

export function buildNative({ force = false } = {}) {
  if (!force && mtime(NATIVE_LIBRARY) > mtime(source)) return NATIVE_LIBRARY;
  const headers = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'deps/sqlite3');
  mkdirSync(dirname(NATIVE_LIBRARY), { recursive: true });
  const flags = process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'];
  const cc = process.env.CC || 'cc';
  const result = spawnSync(cc, ['-O2', '-fPIC', '-pthread', ...flags, '-I', headers, source, '-o', NATIVE_LIBRARY], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`compiling ${source} with ${cc} failed (exit ${result.status ?? result.error?.message}):\n${result.stderr}`);
  }
  return NATIVE_LIBRARY;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`native: ${buildNative({ force: process.argv.includes('--force') })}`);
}
