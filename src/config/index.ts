export { ConfigError } from './errors.ts';
export { type ConfigFlags, ConfigFlagsSchema } from './flags.ts';
export { DEFAULT_CONFIG_FILE, EMBEDDED_DEFAULT, type LoadedConfig, type LoadOptions, loadConfig } from './load.ts';
export { type RunPaths, runPaths } from './run-paths.ts';
export { type Config, ConfigSchema, type DatabaseConfig, type MaintenanceConfig, type SupervisorConfig } from './schema.ts';
