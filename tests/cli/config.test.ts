import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const CONFIGS = join(REPO_ROOT, 'test_data', 'configs');

async function configFile(content: unknown): Promise<string> {
  const path = join(await makeTempDir(), 'code-analysis.json');
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('code-analysis config print', () => {
  it('prints the effective config as JSON, with the tokens masked', async () => {
    const token = 'a-secret-token-0123456789';
    const readToken = 'a-read-only-token-987654';
    const file = await configFile({ data_dir: 'state', server: { auth_token: token, read_token: readToken } });
    const result = await runCli(['config', 'print', '--config', file]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const config = JSON.parse(result.stdout);
    expect(config.data_dir).toBe(join(file, '..', 'state'));
    expect(config.database.path).toBe(join(file, '..', 'state', 'code_analysis.db'));
    expect(config.server).toMatchObject({ auth_token: '***', read_token: '***', rpc: 'read', allowed_hosts: [] });
    expect(result.stdout).not.toContain(token);
    expect(result.stdout).not.toContain(readToken);
  });

  it('applies default ← file ← environment ← flags', async () => {
    const file = await configFile({ server: { port: 9000 }, log: { level: 'debug' } });
    const port = async (env: Record<string, string>, flags: string[] = []) => {
      const result = await runCli(['config', 'print', '--config', file, ...flags], { env });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout).server.port;
    };
    expect(await port({})).toBe(9000);
    expect(await port({ CODE_ANALYSIS_PORT: '9001' })).toBe(9001);
    expect(await port({ CODE_ANALYSIS_PORT: '9001' }, ['--port', '9002'])).toBe(9002);

    const dataDir = await makeTempDir();
    const result = await runCli(['config', 'print', '--config', file, '--data-dir', dataDir, '--watch', 'a', '--watch=b'], {
      env: { CODE_ANALYSIS_DATA_DIR: '/nowhere', CODE_ANALYSIS_HOST: '::1' },
    });
    const config = JSON.parse(result.stdout);
    expect(config.data_dir).toBe(dataDir);
    expect(config.server.host).toBe('::1');
    expect(config.log.level).toBe('debug');
    expect(config.workers.indexer.watch_dirs).toEqual([join(REPO_ROOT, 'a'), join(REPO_ROOT, 'b')]);
  });

  it('prints source and warnings with --json, and warnings on stderr', async () => {
    const file = join(CONFIGS, 'legacy-db-path.json');
    const result = await runCli(['config', 'print', '--config', file, '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.source).toBe(file);
    expect(output.config.database.path).toBe(join(CONFIGS, 'data', 'code_analysis.db'));
    expect(output.warnings).toContain('code_analysis.db_path is an old layout key; use database.path');
    expect(result.stderr).toContain('warning: code_analysis.db_path is an old layout key; use database.path\n');
  });
});

describe('code-analysis config validate', () => {
  it('says ok and names the file', async () => {
    const file = join(CONFIGS, 'canonical.json');
    expect(await runCli(['config', 'validate', '--config', file])).toEqual({ code: 0, stdout: `ok: ${file}\n`, stderr: '' });
  });

  it('exits 2 naming the JSON path for each invalid config', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ server: { port: '8787' } }, /server\.port: must be a number \(got "8787", from .*code-analysis\.json\)/],
      [{ database: { type: 'mysql' } }, /database\.type: must be sqlite or postgres \(got "mysql", from /],
      [{ server: { port: -1 } }, /server\.port: must be at least 0 \(got -1, from /],
      [{ workers: { indexer: { scan_interval: 5 } } }, /workers\.indexer\.scan_interval: unknown key \(from /],
      [{ database: { type: 'postgres' } }, /database\.url: must be set when database\.type is postgres/],
      ['{"server": {', /code-analysis\.json: not valid JSON: /],
    ];
    for (const [content, expected] of cases) {
      const result = await runCli(['config', 'validate', '--config', await configFile(content)]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^code-analysis: invalid config: /);
      expect(result.stderr).toMatch(expected);
    }
    const missing = await runCli(['config', 'validate', '--config', '/nonexistent/code-analysis.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/code-analysis.json: no such file (from --config)');
  });

  it('exits 2 when the environment holds the bad value, and names the variable', async () => {
    const file = join(CONFIGS, 'canonical.json');
    const result = await runCli(['config', 'validate', '--config', file], { env: { CODE_ANALYSIS_PORT: '-1' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('server.port: must be at least 0 (got -1, from CODE_ANALYSIS_PORT)');
    const flag = await runCli(['config', 'print', '--config', file, '--port', 'http']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--port: must be a whole number');
  });
});
