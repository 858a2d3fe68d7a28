import type { Runtime, SpawnOptions } from '../../src/runtime/types.ts';

export interface CommandOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command to its end under either runtime, with both of its outputs collected as text. */
export async function runCommand(runtime: Runtime, command: string[], options: Omit<SpawnOptions, 'stdout' | 'stderr'> = {}): Promise<CommandOutput> {
  const child = runtime.spawn(command, { ...options, stdout: 'pipe', stderr: 'pipe' });
  const read = async (stream: AsyncIterable<Uint8Array> | null) => {
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of stream ?? []) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  };
  const [stdout, stderr, exit] = await Promise.all([read(child.stdout), read(child.stderr), child.exited]);
  return { code: exit.code, stdout, stderr };
}
