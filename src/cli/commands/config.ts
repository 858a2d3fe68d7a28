import { defineCommand } from 'citty';
import * as v from 'valibot';
import { type Config, type LoadedConfig, loadConfig } from '../../config/index.ts';
import { parseFlags } from '../args.ts';
import { CONFIG_ARGS, loadConfigFromArgs, SERVER_CONFIG_ARGS } from '../config-args.ts';
import type { CliContext } from '../context.ts';

const ValidateFlags = v.object({ config: v.optional(v.string()) });

const mask = (token: string | null) => (token === null ? null : '***');

/** The config as shown to people: the tokens and the embeddings API key never leave the process. */
function masked(config: Config): Config {
  return {
    ...config,
    server: { ...config.server, auth_token: mask(config.server.auth_token), read_token: mask(config.server.read_token) },
    embeddings: { ...config.embeddings, http: { ...config.embeddings.http, api_key: mask(config.embeddings.http.api_key) } },
  };
}

function reportWarnings(context: CliContext, loaded: LoadedConfig): void {
  for (const warning of loaded.warnings) context.runtime.writeStderr(`warning: ${warning}\n`);
}

const print = (context: CliContext) =>
  defineCommand({
    meta: { name: 'print', description: 'Print the effective config (default ← file ← CODE_ANALYSIS_* ← flags) as JSON' },
    args: {
      ...SERVER_CONFIG_ARGS,
      json: { type: 'boolean', default: false, description: 'Print {source, warnings, config} as one JSON object' },
    },
    async run({ args, rawArgs }) {
      const loaded = await loadConfigFromArgs(context.runtime, args, rawArgs);
      reportWarnings(context, loaded);
      const output = args.json ? { source: loaded.source, warnings: loaded.warnings, config: masked(loaded.config) } : masked(loaded.config);
      context.runtime.writeStdout(`${JSON.stringify(output, null, 2)}\n`);
    },
  });

const validate = (context: CliContext) =>
  defineCommand({
    meta: { name: 'validate', description: 'Check a config file (with the environment applied); exit 2 when it is invalid' },
    args: { config: CONFIG_ARGS.config },
    async run({ args }) {
      const flags = parseFlags(ValidateFlags, { config: args.config });
      const loaded = await loadConfig(context.runtime, { configPath: flags.config });
      reportWarnings(context, loaded);
      context.runtime.writeStdout(`ok: ${loaded.source ?? 'no config file; the embedded default'}\n`);
    },
  });

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'config', description: 'Show the effective configuration or check a config file' },
    subCommands: { print: print(context), validate: validate(context) },
  });
