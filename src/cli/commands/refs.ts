import { defineCommand } from 'citty';
import * as v from 'valibot';
import { IntegerFlag, parseFlags } from '../args.ts';
import type { CliContext } from '../context.ts';
import { cliPath, cliProject, runToolCommand, TOOL_ARGS } from '../tool-command.ts';

const RefsFlags = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'a name is required')),
  limit: v.optional(IntegerFlag(1), '100'),
});

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'refs', description: 'Where a name is used: calls, attribute reads, imports, type references, each with its line and enclosing symbol' },
    args: {
      name: { type: 'positional', description: 'The identifier (no dots)', required: true },
      ...TOOL_ARGS,
      path: { type: 'string', description: 'Only in this file' },
      limit: { type: 'string', description: 'Most references (default 100)' },
    },
    async run({ args }) {
      const { runtime } = context;
      const flags = parseFlags(RefsFlags, { name: args.name, limit: args.limit });
      const path = args.path === undefined ? undefined : await cliPath(runtime, args.path);
      await runToolCommand(context, args, 'find_references', { name: flags.name, project: await cliProject(runtime, args.project), path, limit: flags.limit });
    },
  });
