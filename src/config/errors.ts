/**
 * A configuration that cannot be used: a config file missing, unreadable or not JSON, or a
 * value that fails validation. The message names the JSON path (or flag), the reason, and
 * where the bad value came from; the command line exits with code 2 on it.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
