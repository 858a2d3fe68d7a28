// consola/core: the full entry point detects CI, terminals and colours at import (about
// 20 ms of every start) for reporters we replace with our own.
import { createConsola, type ConsolaInstance, type LogObject } from 'consola/core';
import type { Runtime } from './types.ts';

export type Logger = Pick<ConsolaInstance, 'info' | 'warn' | 'error' | 'debug' | 'success' | 'withTag'>;

export type LogFormat = 'text' | 'json';

const LEVELS: Record<string, number> = { silent: -999, error: 0, warn: 1, info: 3, debug: 4, trace: 5 };

function message(entry: LogObject): string {
  return entry.args.map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
}

/**
 * The logger of one process, made at its entry point. Everything goes to stderr (stdout is
 * for command output): plain lines for people, or JSON lines a supervisor can parse.
 */
export function createLogger(runtime: Runtime, options: { format?: LogFormat; level?: string; tag?: string } = {}): Logger {
  const format = options.format ?? 'text';
  const logger = createConsola({
    level: LEVELS[options.level ?? 'info'] ?? 3,
    reporters: [
      {
        log(entry) {
          const tag = entry.tag ? `${entry.tag}` : undefined;
          if (format === 'json') {
            runtime.writeStderr(
              `${JSON.stringify({ time: entry.date.toISOString(), level: entry.type, ...(tag ? { tag } : {}), message: message(entry) })}\n`,
            );
          } else {
            runtime.writeStderr(`${entry.date.toISOString()} ${entry.type.padEnd(5)} ${tag ? `[${tag}] ` : ''}${message(entry)}\n`);
          }
        },
      },
    ],
  });
  return options.tag ? logger.withTag(options.tag) : logger;
}
