import { describe, expect, it } from 'vitest';
import defaults from '../../config/default.json' with { type: 'json' };
import { ConfigError } from '../../src/config/errors.ts';
import { deepMerge } from '../../src/config/layer.ts';
import { shown, validateConfig } from '../../src/config/validate.ts';

const base = { source: 'the embedded default', value: defaults as Record<string, unknown> };

function problems(top: Record<string, unknown>, source = 'f.json'): string {
  const layers = [base, { source, value: top }];
  try {
    validateConfig(deepMerge(base.value, top), layers);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('accepts the embedded default', () => {
    expect(validateConfig(base.value, [base]).database.type).toBe('sqlite');
  });

  it('names the path, the reason, the value and its source for each problem', () => {
    expect(problems({ queue: { max_size: 1.5 } })).toBe('invalid config: queue.max_size: must be a whole number (got 1.5, from f.json)');
    expect(problems({ workers: { indexer: { watch_dirs: ['ok', ''] } } })).toBe(
      'invalid config: workers.indexer.watch_dirs.1: must not be empty (got "", from f.json)',
    );
    expect(problems({ log: 'debug', server: { port: true } })).toBe(
      'invalid config: server.port: must be a number (got true, from f.json); log: must be an object (got "debug", from f.json)',
    );
    expect(problems({ workers: { indexer: { enabled: true, watchdirs: [] } } })).toBe(
      'invalid config: workers.indexer.watchdirs: unknown key (from f.json)',
    );
  });

  it('never shows the auth token and shortens long values', () => {
    const message = problems({ server: { auth_token: 'short-secret' } });
    expect(message).toContain('server.auth_token: must be at least 16 characters (got "***"');
    expect(message).not.toContain('short-secret');
    expect(shown('x', 'y'.repeat(200))).toHaveLength(81);
  });

  it('checks the HTTP access keys: server.rpc, server.allowed_hosts, and never shows the read token', () => {
    expect(problems({ server: { rpc: 'all' } })).toBe('invalid config: server.rpc: must be off, read or write (got "all", from f.json)');
    expect(problems({ server: { allowed_hosts: ['code.example.com', 'http://evil.example', 'host:80'] } })).toBe(
      'invalid config: server.allowed_hosts.1: must be a host name or IP address, without scheme or port (got "http://evil.example", from f.json); ' +
        'server.allowed_hosts.2: must be a host name or IP address, without scheme or port (got "host:80", from f.json)',
    );
    expect(problems({ server: { allowed_hosts: 'code.example.com' } })).toContain('server.allowed_hosts: must be an array of host names');
    const shortRead = problems({ server: { auth_token: 'a-token-long-enough-1', read_token: 'read-secret' } });
    expect(shortRead).toBe('invalid config: server.read_token: must be at least 16 characters (got "***", from f.json)');
    const accepted = validateConfig(deepMerge(base.value, { server: { allowed_hosts: ['code.example.com', '10.0.0.7', '[::1]', 'fe80::1'] } }), [base]);
    expect(accepted.server.allowed_hosts).toHaveLength(4);
  });

  it('refuses a read token without an auth token, or equal to it', () => {
    expect(problems({ server: { read_token: 'a-read-token-long-enough' } }, 'CODE_ANALYSIS_READ_TOKEN')).toBe(
      'invalid config: server.read_token: needs server.auth_token to be set as well (from CODE_ANALYSIS_READ_TOKEN)',
    );
    const same = 'the-same-token-for-both';
    expect(problems({ server: { auth_token: same, read_token: same } })).toBe('invalid config: server.read_token: must differ from server.auth_token (from f.json)');
  });

  it('applies the rules between fields', () => {
    expect(problems({ database: { type: 'postgres' } }, 'CODE_ANALYSIS_X')).toBe(
      'invalid config: database.url: must be set when database.type is postgres (from CODE_ANALYSIS_X)',
    );
    expect(problems({ database: { mode: 'in_process' } })).toBe(
      'invalid config: database.mode: in_process needs database.type postgres (got "sqlite", from f.json)',
    );
    const postgres = { database: { type: 'postgres', url: 'postgres://h/db', mode: 'in_process' } };
    expect(validateConfig(deepMerge(base.value, postgres), [base]).database.mode).toBe('in_process');
  });

  it('names a section missing from what was merged (a default out of step with the schema)', () => {
    const { log: _log, ...withoutLog } = base.value;
    expect(() => validateConfig(withoutLog, [{ source: 'the embedded default', value: withoutLog }])).toThrow(
      new ConfigError('invalid config: log: is required (from the embedded default)'),
    );
  });
});
