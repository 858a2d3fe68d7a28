import { describe, expect, it } from 'vitest';
import { allowedHostNames, hostHeaderName, normalizeHostName, originHostName } from '../../src/server/allowed-hosts.ts';

describe('allowed host names', () => {
  it('always holds the loopback names, and the configured ones normalized', () => {
    expect([...allowedHostNames([])]).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect([...allowedHostNames(['Code.Example.COM', '::2', '[fe80::1]', 'localhost'])]).toEqual(['localhost', '127.0.0.1', '[::1]', 'code.example.com', '[::2]', '[fe80::1]']);
    expect(normalizeHostName(' 0:0:0:0:0:0:0:1 ')).toBe('[0:0:0:0:0:0:0:1]');
  });

  it('reads the name of a Host header, and nothing from a malformed one', () => {
    expect(hostHeaderName('localhost:8787')).toBe('localhost');
    expect(hostHeaderName('[::1]:8787')).toBe('[::1]');
    expect(hostHeaderName('[::1]')).toBe('[::1]');
    expect(hostHeaderName('Example.com')).toBe('example.com');
    for (const bad of ['', ':80', 'a:b', 'a b', 'a/b', 'user@host', '[::1', 'host:123456', '::1']) expect(hostHeaderName(bad), bad).toBeNull();
  });

  it('reads the host of an http(s) Origin, and nothing from an opaque or other one', () => {
    expect(originHostName('http://localhost:3000')).toBe('localhost');
    expect(originHostName('https://[::1]')).toBe('[::1]');
    expect(originHostName('HTTP://Example.COM')).toBe('example.com');
    for (const bad of ['null', 'file:///etc', 'ws://localhost', 'garbage', '']) expect(originHostName(bad), bad).toBeNull();
  });
});
