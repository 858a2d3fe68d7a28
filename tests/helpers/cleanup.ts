/**
 * Things to undo after the test file (stop processes, remove directories). Helpers register
 * here so a failing test still leaves nothing running; tests/helpers/setup.ts runs them.
 */
const tasks: Array<() => unknown> = [];

export function deferCleanup(task: () => unknown): void {
  tasks.push(task);
}

export async function runCleanups(): Promise<void> {
  while (tasks.length) {
    const task = tasks.pop()!;
    try {
      await task();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}
