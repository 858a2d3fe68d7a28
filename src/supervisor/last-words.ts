/** Log levels that say why a process is failing (consola's names). */
const FAILING_LEVELS = new Set(['error', 'fatal']);

/** The program's own prefix on a fatal error printed by the command line (`code-analysis: …`). */
const CLI_PREFIX = /^code-analysis: /;

/**
 * What a line of a child's stderr says about why it fails, or null when it says nothing
 * of the kind: the message of an error-level JSON log line, or a plain text line (what the
 * command line prints for an error that ends it). The supervisor keeps the last one, so a
 * child that dies before it is ready is reported with its reason, not only its exit code.
 */
export function failureReason(line: string): string | null {
  const text = line.trim();
  if (text === '') return null;
  if (!text.startsWith('{')) return text.replace(CLI_PREFIX, '');
  try {
    const entry = JSON.parse(text) as { level?: unknown; message?: unknown };
    return FAILING_LEVELS.has(String(entry.level)) && typeof entry.message === 'string' ? entry.message : null;
  } catch {
    return text;
  }
}
