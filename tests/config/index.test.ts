import { describe, expect, it } from 'vitest';
import * as config from '../../src/config/index.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { ConfigFlagsSchema } from '../../src/config/flags.ts';
import { loadConfig } from '../../src/config/load.ts';
import { runPaths } from '../../src/config/run-paths.ts';
import { ConfigSchema } from '../../src/config/schema.ts';

describe('src/config/index.ts', () => {
  it('re-exports the public API of configuration', () => {
    expect(config.ConfigError).toBe(ConfigError);
    expect(config.ConfigFlagsSchema).toBe(ConfigFlagsSchema);
    expect(config.loadConfig).toBe(loadConfig);
    expect(config.runPaths).toBe(runPaths);
    expect(config.ConfigSchema).toBe(ConfigSchema);
    expect(config.DEFAULT_CONFIG_FILE).toBe('code-analysis.json');
    expect(config.EMBEDDED_DEFAULT).toBe('the embedded default');
  });
});
