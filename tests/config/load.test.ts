import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { type LoadOptions, loadConfig } from '../../src/config/load.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/** The real runtime (real files), with the environment and working directory of the test. */
function runtimeIn(cwd: string, env: Record<string, string> = {}) {
  return { ...nodeRuntime, cwd: () => cwd, env: (name: string) => env[name] };
}

async function writeJson(path: string, value: unknown): Promise<string> {
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

async function load(cwd: string, env: Record<string, string> = {}, options: LoadOptions = {}) {
  return loadConfig(runtimeIn(cwd, env), options);
}

async function loadError(cwd: string, env: Record<string, string> = {}, options: LoadOptions = {}): Promise<string> {
  const error = await load(cwd, env, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

describe('loadConfig precedence', () => {
  it('uses the embedded default when there is no file, environment or flag', async () => {
    const dir = await makeTempDir();
    const { config, source, warnings } = await load(dir);
    expect(source).toBeNull();
    expect(warnings).toEqual([]);
    expect(config.data_dir).toBe(join(dir, 'data'));
    expect(config.database).toMatchObject({ type: 'sqlite', path: join(dir, 'data', 'code_analysis.db'), url: null });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8787, auth_token: null, read_token: null, rpc: 'read', allowed_hosts: [] });
  });

  it('layers default ← file ← environment ← flags, merging objects and replacing arrays', async () => {
    const dir = await makeTempDir();
    const file = await writeJson(join(dir, 'conf.json'), {
      server: { port: 9000 },
      log: { level: 'debug' },
      workers: { indexer: { watch_dirs: ['a', 'b'] } },
    });
    const fromFile = await load(dir, {}, { configPath: file });
    expect(fromFile.source).toBe(file);
    expect(fromFile.config.server).toEqual({ host: '127.0.0.1', port: 9000, auth_token: null, read_token: null, rpc: 'read', allowed_hosts: [] });
    expect(fromFile.config.workers.indexer).toMatchObject({ enabled: true, watch_dirs: [join(dir, 'a'), join(dir, 'b')] });

    const env = { CODE_ANALYSIS_PORT: '9001', CODE_ANALYSIS_LOG_LEVEL: 'warn' };
    const fromEnv = await load(dir, env, { configPath: file });
    expect(fromEnv.config.server.port).toBe(9001);
    expect(fromEnv.config.log.level).toBe('warn');

    const fromFlags = await load(dir, env, { configPath: file, flags: { port: '9002', log_level: 'error', watch: ['c'] } });
    expect(fromFlags.config.server.port).toBe(9002);
    expect(fromFlags.config.log.level).toBe('error');
    expect(fromFlags.config.workers.indexer.watch_dirs).toEqual([join(dir, 'c')]);
  });

  it('finds the file through --config, then CODE_ANALYSIS_CONFIG, then ./code-analysis.json', async () => {
    const dir = await makeTempDir();
    const local = await writeJson(join(dir, 'code-analysis.json'), { server: { port: 1001 } });
    const named = await writeJson(join(dir, 'named.json'), { server: { port: 1002 } });
    const given = await writeJson(join(dir, 'given.json'), { server: { port: 1003 } });
    expect((await load(dir)).source).toBe(local);
    const env = { CODE_ANALYSIS_CONFIG: 'named.json' };
    expect((await load(dir, env)).config.server.port).toBe(1002);
    const chosen = await load(dir, env, { configPath: 'given.json' });
    expect(chosen.source).toBe(given);
    expect(chosen.config.server.port).toBe(1003);
    expect(named).toBe(join(dir, 'named.json'));
  });

  it('reads every CODE_ANALYSIS_* variable and ignores empty ones', async () => {
    const dir = await makeTempDir();
    const { config } = await load(dir, {
      CODE_ANALYSIS_DATA_DIR: 'state',
      CODE_ANALYSIS_DATABASE_URL: 'postgres://app@db.internal/code',
      CODE_ANALYSIS_HOST: '0.0.0.0',
      CODE_ANALYSIS_AUTH_TOKEN: 'a-token-of-24-characters',
      CODE_ANALYSIS_READ_TOKEN: 'a-read-token-of-24-chars',
      CODE_ANALYSIS_PORT: '',
    });
    expect(config.data_dir).toBe(join(dir, 'state'));
    expect(config.database).toMatchObject({ type: 'postgres', url: 'postgres://app@db.internal/code' });
    expect(config.server).toEqual({ host: '0.0.0.0', port: 8787, auth_token: 'a-token-of-24-characters', read_token: 'a-read-token-of-24-chars', rpc: 'read', allowed_hosts: [] });
  });

  it('returns a deep-frozen config', async () => {
    const { config } = await load(await makeTempDir());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.workers.indexer.watch_dirs)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('loadConfig path resolution', () => {
  it('resolves a file’s data_dir and watch dirs against its folder, database.path against data_dir', async () => {
    const dir = await makeTempDir();
    await mkdir(join(dir, 'etc'));
    const file = await writeJson(join(dir, 'etc', 'conf.json'), {
      data_dir: 'state',
      database: { path: 'db/main.db' },
      workers: { indexer: { watch_dirs: ['../src', '/abs/dir'] } },
    });
    const { config } = await load(join(dir, 'elsewhere'), {}, { configPath: file });
    expect(config.data_dir).toBe(join(dir, 'etc', 'state'));
    expect(config.database.path).toBe(join(dir, 'etc', 'state', 'db', 'main.db'));
    expect(config.workers.indexer.watch_dirs).toEqual([join(dir, 'src'), '/abs/dir']);
  });

  it('puts the default data_dir beside the config file when the file sets none', async () => {
    const dir = await makeTempDir();
    await mkdir(join(dir, 'etc'));
    const file = await writeJson(join(dir, 'etc', 'conf.json'), { server: { port: 9000 } });
    const { config } = await load(join(dir, 'elsewhere'), {}, { configPath: file });
    expect(config.data_dir).toBe(join(dir, 'etc', 'data'));
    expect(config.database.path).toBe(join(dir, 'etc', 'data', 'code_analysis.db'));
  });

  it('keeps an absolute database.path, and follows a data_dir given later', async () => {
    const dir = await makeTempDir();
    const absolute = await writeJson(join(dir, 'abs.json'), { database: { path: '/var/db/x.db' } });
    expect((await load(dir, {}, { configPath: absolute })).config.database.path).toBe('/var/db/x.db');
    const relative = await writeJson(join(dir, 'rel.json'), { database: { path: 'x.db' } });
    const moved = await load(dir, {}, { configPath: relative, flags: { data_dir: 'other' } });
    expect(moved.config.database.path).toBe(join(dir, 'other', 'x.db'));
  });

  it('resolves paths typed in the environment or on the command line against the working directory', async () => {
    const dir = await makeTempDir();
    const file = await writeJson(join(dir, 'conf.json'), { data_dir: 'state' });
    const cwd = join(dir, 'work');
    const fromEnv = await load(cwd, { CODE_ANALYSIS_DATABASE_PATH: 'here.db' }, { configPath: file });
    expect(fromEnv.config.database).toMatchObject({ type: 'sqlite', path: join(cwd, 'here.db') });
    expect(fromEnv.config.data_dir).toBe(join(dir, 'state'));
    const fromFlag = await load(cwd, {}, { configPath: file, flags: { database: 'flag.db', data_dir: 'd' } });
    expect(fromFlag.config.database.path).toBe(join(cwd, 'flag.db'));
    expect(fromFlag.config.data_dir).toBe(join(cwd, 'd'));
  });

  it('takes a postgres URL given as --database', async () => {
    const dir = await makeTempDir();
    const { config } = await load(dir, { CODE_ANALYSIS_DATABASE_PATH: 'x.db' }, { flags: { database: 'postgresql://u@h:5432/db' } });
    expect(config.database).toMatchObject({ type: 'postgres', url: 'postgresql://u@h:5432/db' });
  });
});

describe('loadConfig errors', () => {
  it('names a missing, unreadable-as-a-file or non-JSON config file', async () => {
    const dir = await makeTempDir();
    expect(await loadError(dir, {}, { configPath: 'missing.json' })).toBe(
      `invalid config: ${join(dir, 'missing.json')}: no such file (from --config)`,
    );
    expect(await loadError(dir, { CODE_ANALYSIS_CONFIG: 'gone.json' })).toContain('no such file (from CODE_ANALYSIS_CONFIG)');
    expect(await loadError(dir, {}, { configPath: '.' })).toContain('is a directory');
    const bad = await writeJson(join(dir, 'code-analysis.json'), '{"server": ');
    expect(await loadError(dir)).toMatch(new RegExp(`^invalid config: ${bad}: not valid JSON: .*\\(from the working directory\\)$`));
    await writeJson(bad, '[1, 2]');
    expect(await loadError(dir)).toContain('must hold a JSON object, not [1,2]');
  });

  it.skipIf(process.getuid?.() === 0)('names a file it may not read', async () => {
    const dir = await makeTempDir();
    const file = await writeJson(join(dir, 'secret.json'), {});
    await chmod(file, 0o000);
    expect(await loadError(dir, {}, { configPath: file })).toContain(`${file}: cannot be read`);
  });

  it('names the JSON path, the reason, the value and the layer that supplied it', async () => {
    const dir = await makeTempDir();
    const file = await writeJson(join(dir, 'conf.json'), { database: { type: 'mysql' } });
    expect(await loadError(dir, {}, { configPath: file })).toBe(
      `invalid config: database.type: must be sqlite or postgres (got "mysql", from ${file})`,
    );
    expect(await loadError(dir, { CODE_ANALYSIS_PORT: '-1' })).toBe('invalid config: server.port: must be at least 0 (got -1, from CODE_ANALYSIS_PORT)');
    expect(await loadError(dir, {}, { flags: { port: 'eighty' } })).toBe('--port: must be a whole number');
    expect(await loadError(dir, {}, { flags: { port: '65536' } })).toContain('server.port: must be at most 65535 (got 65536, from --port)');
    await writeJson(file, { sever: { port: 1 } });
    expect(await loadError(dir, {}, { configPath: file })).toBe(`invalid config: sever: unknown key (from ${file})`);
  });

  it('applies the cross-field rules', async () => {
    const dir = await makeTempDir();
    const file = await writeJson(join(dir, 'conf.json'), { database: { type: 'postgres' } });
    expect(await loadError(dir, {}, { configPath: file })).toBe(
      `invalid config: database.url: must be set when database.type is postgres (from ${file})`,
    );
    await writeJson(file, { database: { mode: 'in_process' } });
    expect(await loadError(dir, {}, { configPath: file })).toContain('database.mode: in_process needs database.type postgres');
  });

  it('converts a legacy file and refuses one mixing both layouts', async () => {
    const dir = await makeTempDir();
    const file = await writeJson(join(dir, 'old.json'), { code_analysis: { db_path: 'data/old.db' } });
    const { config, warnings } = await load(join(dir, 'cwd'), {}, { configPath: file });
    expect(config.database.path).toBe(join(dir, 'data', 'old.db'));
    expect(warnings).toEqual(['code_analysis.db_path is an old layout key; use database.path']);
    await writeJson(file, { code_analysis: { db_path: 'x.db' }, queue: { max_size: 1 } });
    expect(await loadError(dir, {}, { configPath: file })).toContain('mixes the old layout (code_analysis) with canonical keys (queue)');
  });

  it('accepts a file that starts with a UTF-8 byte order mark', async () => {
    const dir = await makeTempDir();
    const file = await writeJson(join(dir, 'bom.json'), `\uFEFF${JSON.stringify({ server: { port: 1234 } })}`);
    expect((await load(dir, {}, { configPath: file })).config.server.port).toBe(1234);
  });

  it('refuses __proto__, constructor and prototype keys anywhere in a file, naming their path, and pollutes nothing', async () => {
    const dir = await makeTempDir();
    const cases: Array<[string, string]> = [
      ['{"__proto__": {"polluted": true}}', '__proto__'],
      ['{"server": {"__proto__": {"auth_token": "x"}}}', 'server.__proto__'],
      ['{"workers": {"indexer": {"constructor": {"prototype": {"polluted": true}}}}}', 'workers.indexer.constructor'],
      ['{"code_analysis": {"prototype": 1}}', 'code_analysis.prototype'],
    ];
    for (const [text, path] of cases) {
      const file = await writeJson(join(dir, 'proto.json'), text);
      const key = path.split('.').pop();
      expect(await loadError(dir, {}, { configPath: file })).toBe(
        `invalid config: ${file}: ${path}: the key "${key}" is not allowed (it would reach into JavaScript object prototypes) (from --config)`,
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a data_dir that is a file or under one, and a database.path that is a directory, naming the key and its source', async () => {
    const dir = await makeTempDir();
    const aFile = await writeJson(join(dir, 'a-file'), 'not a directory');
    await mkdir(join(dir, 'a-dir'));
    expect(await loadError(dir, { CODE_ANALYSIS_DATA_DIR: aFile })).toBe(
      `invalid config: data_dir: ${aFile} is a file, not a directory (from CODE_ANALYSIS_DATA_DIR)`,
    );
    const file = await writeJson(join(dir, 'conf.json'), { data_dir: 'a-file/data' });
    expect(await loadError(dir, {}, { configPath: file })).toBe(
      `invalid config: data_dir: ${join(aFile, 'data')} lies under the file ${aFile}, not a directory (from ${file})`,
    );
    expect(await loadError(dir, {}, { flags: { database: 'a-dir' } })).toBe(
      `invalid config: database.path: ${join(dir, 'a-dir')} is a directory, not a database file (from --database)`,
    );
    expect(await loadError(dir, {}, { flags: { database: 'a-file/x.db' } })).toBe(
      `invalid config: database.path: ${join(aFile, 'x.db')} lies under the file ${aFile} (from --database)`,
    );
    // A PostgreSQL database has no path to check; a data_dir that does not exist yet is fine.
    expect((await load(dir, {}, { flags: { database: 'postgres://h/db', data_dir: 'new/dir' } })).config.data_dir).toBe(join(dir, 'new', 'dir'));
  });
});
