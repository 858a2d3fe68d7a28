import { defineCommand } from 'citty';
import type { CliContext } from '../context.ts';
import { cliPath, cliProject, runToolCommand, TOOL_ARGS } from '../tool-command.ts';

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'show', description: 'One symbol by its qualified name: where it is, signature, docstring, parent, children and its source' },
    args: {
      qualified_name: { type: 'positional', description: 'e.g. JSONDecoder.raw_decode (or a name without its parents)', required: true },
      ...TOOL_ARGS,
      path: { type: 'string', description: 'Only in this file' },
    },
    async run({ args }) {
      const { runtime } = context;
      const path = args.path === undefined ? undefined : await cliPath(runtime, args.path);
      await runToolCommand(context, args, 'get_symbol', { qualified_name: args.qualified_name, project: await cliProject(runtime, args.project), path });
    },
  });
