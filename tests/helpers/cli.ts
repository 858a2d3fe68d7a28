import { nodeRuntime } from '../../src/runtime/node.ts';
import { BIN, REPO_ROOT } from './paths.ts';

/** Run the `code-analysis` command line to completion and collect what it printed. */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const env = options.env ? { ...(process.env as Record<string, string>), ...options.env } : undefined;
  const child = nodeRuntime.spawn([process.execPath, BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdout: 'pipe', stderr: 'pipe' });
  const read = async (stream: AsyncIterable<Uint8Array> | null) => {
    let text = '';
    for await (const chunk of stream ?? []) text += new TextDecoder().decode(chunk);
    return text;
  };
  const [stdout, stderr, exit] = await Promise.all([read(child.stdout), read(child.stderr), child.exited]);
  return { stdout, stderr, code: exit.code };
}
