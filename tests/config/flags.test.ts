import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { flagLayers } from '../../src/config/flags.ts';

describe('config from flags', () => {
  it('gives one layer per flag given, named after the flag', () => {
    expect(flagLayers({ data_dir: 'd', database: 'x.db', host: 'h', port: '80', watch: ['a', 'b'], log_level: 'warn' }).map((l) => l.source)).toEqual([
      '--data-dir',
      '--database',
      '--host',
      '--port',
      '--watch',
      '--log-level',
    ]);
    expect(flagLayers({ port: '80', watch: ['a'] }).map((l) => l.value)).toEqual([{ server: { port: 80 } }, { workers: { indexer: { watch_dirs: ['a'] } } }]);
    expect(flagLayers({})).toEqual([]);
  });

  it('tells a postgres URL from a SQLite path', () => {
    expect(flagLayers({ database: 'postgres://h/d' })[0]?.value).toEqual({ database: { type: 'postgres', url: 'postgres://h/d' } });
    expect(flagLayers({ database: 'postgresql://h/d' })[0]?.value).toEqual({ database: { type: 'postgres', url: 'postgresql://h/d' } });
    expect(flagLayers({ database: 'pg.db' })[0]?.value).toEqual({ database: { type: 'sqlite', path: 'pg.db' } });
  });

  it('names a flag that is not what it must be', () => {
    expect(() => flagLayers({ port: '-1' })).toThrow(new ConfigError('--port: must be a whole number'));
    expect(() => flagLayers({ log_level: 3 as unknown as string })).toThrow(/^--log-level: /);
  });
});
