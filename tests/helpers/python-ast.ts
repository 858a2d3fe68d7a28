import { join } from 'node:path';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { REPO_ROOT } from './paths.ts';
import { runCommand } from './run-command.ts';

export type AstReference = [name: string, line: number, column: number, kind: string];

const run = (args: string[]) => runCommand(nodeRuntime, ['python3', ...args]);

/** The directory of the machine's python3 standard-library `json` package, or null without python3. */
export async function pythonJsonPackage(): Promise<string | null> {
  const found = await run(['-c', 'import json, os; print(os.path.dirname(json.__file__))']).catch(() => null);
  return found?.code === 0 ? found.stdout.trim() : null;
}

/** CPython's own `ast` count of the references in these files (tests/helpers/python_ast_references.py). */
export async function astReferences(files: string[]): Promise<Record<string, AstReference[]>> {
  const result = await run([join(REPO_ROOT, 'tests/helpers/python_ast_references.py'), ...files]);
  if (result.code !== 0) throw new Error(`python3 ast count failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, AstReference[]>;
}
