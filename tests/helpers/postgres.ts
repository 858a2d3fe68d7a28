import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import postgres from 'postgres';
import { PostgresDriver } from '../../src/driver/postgres/postgres-driver.ts';
import type { PostgresDriverOptions } from '../../src/driver/postgres/postgres-connect.ts';
import { deferCleanup } from './cleanup.ts';

/**
 * A real PostgreSQL server for the tests, from the machine's own binaries: one per test
 * file (cached here), on a free port bound to 127.0.0.1, in a temp dir removed afterwards.
 * Each test that wants isolation gets its own database with `createDatabase()`.
 */

export interface PostgresServer {
  /** URL of the `postgres` database (superuser, trust authentication). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** URL of a new, empty database on this server. */
  createDatabase(prefix?: string): Promise<string>;
  /** Fast shutdown (pg_ctl stop -m fast); `restart()` brings it back on the same port. */
  stop(): Promise<void>;
  /** Immediate shutdown (pg_ctl stop -m immediate): no checkpoint, clients cut off. */
  kill(): Promise<void>;
  restart(): Promise<void>;
}

function searchDirs(): string[] {
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(root, version, 'bin'))
    : [];
  return [...fromPath, ...versions];
}

/** The directory holding both initdb and pg_ctl, or undefined. */
function findBinaries(): { dir: string | undefined; searched: string[] } {
  const searched = searchDirs();
  const dir = searched.find((candidate) => existsSync(join(candidate, 'initdb')) && existsSync(join(candidate, 'pg_ctl')));
  return { dir, searched };
}

const binaries = findBinaries();
export const postgresAvailable = binaries.dir !== undefined;

/** Under CI the PostgreSQL tests are required: missing binaries fail the run instead of skipping. */
export function requireBinaries(): string {
  if (binaries.dir) return binaries.dir;
  throw new Error(`PostgreSQL tests required (CI=true) but no initdb/pg_ctl found (searched ${binaries.searched.join(', ')})`);
}

let skipAnnounced = false;

/** Whether PostgreSQL tests run: binaries found, or CI=true (where their absence then fails the run). */
export function postgresRequired(): boolean {
  return postgresAvailable || process.env.CI === 'true';
}

/** The one loud line saying the PostgreSQL tests of this file do not run. */
export function announcePostgresSkipped(): void {
  if (skipAnnounced) return;
  skipAnnounced = true;
  console.warn(`PostgreSQL tests SKIPPED: no initdb/pg_ctl found (searched ${binaries.searched.join(', ')})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Run a PostgreSQL binary, as the `postgres` user when we are root (initdb refuses root). */
function run(bin: string, args: string[]): string {
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let cached: Promise<PostgresServer> | undefined;

/** The test file's PostgreSQL server, started on first use and stopped after the file. */
export function startPostgres(): Promise<PostgresServer> {
  cached ??= launch();
  return cached;
}

async function launch(): Promise<PostgresServer> {
  const bin = requireBinaries();
  const dir = await mkdtemp(join(tmpdir(), 'ca-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    await chmod(dir, 0o755);
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    await chown(dir, id('-u'), id('-g'));
  }
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-locale', '-E', 'UTF8', '--no-sync']);
  const pgCtl = join(bin, 'pg_ctl');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c deadlock_timeout=100ms`;
  const start = () => run(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', 'start']);
  const stopWith = (mode: 'fast' | 'immediate') => run(pgCtl, ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  let running = true;
  deferCleanup(async () => {
    if (running) stopWith('immediate');
    await rm(dir, { recursive: true, force: true });
    cached = undefined;
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    port,
    dir,
    async createDatabase(prefix = 'test') {
      const name = `${prefix}_${++databases}`;
      const admin = postgres(url, { max: 1, onnotice: () => undefined });
      try {
        await admin.unsafe(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      stopWith('fast');
      running = false;
    },
    async kill() {
      stopWith('immediate');
      running = false;
    },
    async restart() {
      if (running) stopWith('fast');
      start();
      running = true;
    },
  };
}

/** A PostgresDriver in the test process on a fresh database of this file's server, closed after the file. */
export async function openPostgresDriver(options: Partial<PostgresDriverOptions> = {}): Promise<{ driver: PostgresDriver; url: string }> {
  const server = await startPostgres();
  const url = options.url ?? (await server.createDatabase());
  const driver = await PostgresDriver.open({ ...options, url });
  deferCleanup(() => driver.close());
  return { driver, url };
}
