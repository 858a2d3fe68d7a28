import { defineCommand } from 'citty';
import type { CliContext } from '../context.ts';
import { cliPath, cliProject, runToolCommand, TOOL_ARGS } from '../tool-command.ts';

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'outline', description: "A file's classes, functions, methods and imports, nested, with line ranges and signatures" },
    args: {
      path: { type: 'positional', description: 'The file (relative to the current directory, or to the project root)', required: true },
      ...TOOL_ARGS,
    },
    async run({ args }) {
      const { runtime } = context;
      await runToolCommand(context, args, 'file_outline', { path: await cliPath(runtime, args.path), project: await cliProject(runtime, args.project) });
    },
  });
