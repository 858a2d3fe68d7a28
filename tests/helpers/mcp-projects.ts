import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';

/** The two sample projects as the MCP tests use them, with traps laid for path escapes. */
export interface SampleProjects {
  py: string;
  ts: string;
  /** A file outside both roots, and its content: no tool may ever show it. */
  secret: { path: string; text: string };
}

export const SECRET_TEXT = 'SECRET-7f3a: must never be served';
export const LONG_FILE_LINES = 650;

/**
 * Copies of test_data's py-sample and ts-sample under `dir`, plus: `escape.txt`, a symbolic
 * link from inside py-sample to a file outside it; `escape-dir`, a link to a directory
 * outside it; and `notes/long.txt`, a text file of 650 lines (for read_source's paging).
 */
export async function sampleProjects(dir: string): Promise<SampleProjects> {
  const py = join(dir, 'py-sample');
  const ts = join(dir, 'ts-sample');
  await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), py, { recursive: true });
  await cp(join(REPO_ROOT, 'test_data/projects/ts-sample'), ts, { recursive: true });
  const outside = join(dir, 'outside');
  await mkdir(outside);
  const secret = join(outside, 'secret.py');
  await writeFile(secret, `# ${SECRET_TEXT}\ndef stolen():\n    return 1\n`);
  await symlink(secret, join(py, 'escape.txt'));
  await symlink(outside, join(py, 'escape-dir'));
  await mkdir(join(py, 'notes'));
  await writeFile(join(py, 'notes/long.txt'), Array.from({ length: LONG_FILE_LINES }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
  return { py, ts, secret: { path: secret, text: SECRET_TEXT } };
}
