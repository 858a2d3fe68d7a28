import { describe, expect, it } from 'vitest';
import { startDriverProcess } from '../helpers/driver.ts';
import { runCli } from '../helpers/cli.ts';

describe('code-analysis rpc', () => {
  it('prints each result as JSON on stdout', async () => {
    const driver = await startDriverProcess();
    const socket = ['--socket', driver.socketPath];
    const created = await runCli(['rpc', 'create_table', '{"schema":{"name":"t","columns":[{"name":"v","type":"text"}]}}', ...socket]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(created.stdout)).toEqual({ success: true, created: true });
    expect(JSON.parse((await runCli(['rpc', 'insert', '{"table_name":"t","data":{"v":"x"}}', ...socket])).stdout)).toEqual({ row_id: 1 });
    const selected = await runCli(['rpc', 'select', '{"table_name":"t"}', ...socket, '--priority', 'high']);
    expect(JSON.parse(selected.stdout)).toEqual({ data: [{ v: 'x' }] });
    expect(JSON.parse((await runCli(['rpc', 'ping', ...socket])).stdout)).toMatchObject({ pong: true, pid: driver.pid });
  });

  it('prints a driver error as JSON on stderr and exits 1', async () => {
    const driver = await startDriverProcess();
    const result = await runCli(['rpc', 'select', '{"table_name":"missing"}', '--socket', driver.socketPath]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 3, name: 'NOT_FOUND' } });
    const unreachable = await runCli(['rpc', 'ping', '--socket', `${driver.dir}/nobody.sock`, '--timeout-ms', '200']);
    expect(unreachable.code).toBe(1);
    expect(JSON.parse(unreachable.stderr)).toMatchObject({ error: { name: 'CONNECTION_ERROR' } });
  });

  it('refuses bad arguments with exit code 2', async () => {
    for (const args of [
      ['rpc', 'select', '{not json', '--socket', '/tmp/x.sock'],
      ['rpc', 'select', '[1,2]', '--socket', '/tmp/x.sock'],
      ['rpc', 'ping', '--socket', '/tmp/x.sock', '--priority', 'urgent'],
      ['rpc'],
      ['rpc', 'ping', '--socket', ''],
      ['no-such-command'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/code-analysis: /);
    }
  });

  it('answers --version and --help', async () => {
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0 });
    expect(version.stdout).toMatch(/^code-analysis \d+\.\d+\.\d+ \(node \d+/);
    const help = await runCli(['rpc', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--socket');
  });
});
