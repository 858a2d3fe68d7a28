import * as v from 'valibot';
import type { StoredSymbol } from '../db/code-database.ts';
import { FilePath, ProjectRef } from './fields.ts';
import { freshen } from './freshness.ts';
import { projectIdentity, resolveIndexedFile } from './project-ref.ts';
import { reindexedNote } from './render.ts';
import { Count, Kind, Line, ProjectRefShape, Reindexed } from './shapes.ts';
import { tool } from './tool.ts';

export type OutlineNode = {
  name: string;
  kind: v.InferOutput<typeof Kind>;
  qualified_name: string;
  line_start: number;
  line_end: number;
  signature: string | null;
  children: OutlineNode[];
};

const OutlineNodeShape: v.GenericSchema<OutlineNode> = v.object({
  name: v.string(),
  kind: Kind,
  qualified_name: v.string(),
  line_start: Line,
  line_end: Line,
  signature: v.nullable(v.string()),
  children: v.array(v.lazy(() => OutlineNodeShape)),
});

/** The flat symbols (source order, parents named by qualified name) as a tree; no recursion, so no depth limit. */
export function nest(symbols: StoredSymbol[]): OutlineNode[] {
  const roots: OutlineNode[] = [];
  const open: Array<OutlineNode> = [];
  for (const symbol of symbols) {
    const node: OutlineNode = {
      name: symbol.name,
      kind: symbol.kind,
      qualified_name: symbol.qualified_name,
      line_start: symbol.line_start,
      line_end: symbol.line_end,
      signature: symbol.signature,
      children: [],
    };
    // The parent is the innermost open symbol of that name whose lines hold this one.
    while (open.length > 0) {
      const top = open[open.length - 1]!;
      if (top.qualified_name === symbol.parent && top.line_start <= symbol.line_start && symbol.line_end <= top.line_end) break;
      open.pop();
    }
    (open.length > 0 ? open[open.length - 1]!.children : roots).push(node);
    if (symbol.kind !== 'import') open.push(node);
  }
  return roots;
}

export const fileOutline = tool({
  name: 'file_outline',
  title: 'Outline a file',
  description:
    "A file's classes, functions, methods and imports, nested (methods inside their class), in source order, with line ranges " +
    'and signatures. A file that changed since it was indexed is re-indexed first.',
  params: v.strictObject({ path: FilePath, project: v.optional(ProjectRef) }),
  result: v.object({
    project: ProjectRefShape,
    path: v.string(),
    language: v.string(),
    lines: Count,
    parse_error: v.nullable(v.string()),
    symbols: v.array(OutlineNodeShape),
    reindexed: Reindexed,
  }),
  mcp: true,
  run: async (tools, { path, project: projectRef }) => {
    let target = await resolveIndexedFile(tools, projectRef, path);
    const reindexed = await freshen(tools, [target]);
    if (reindexed.length > 0) target = await resolveIndexedFile(tools, target.project.id, target.path);
    const { project, file } = target;
    return {
      project: projectIdentity(project),
      path: file.path,
      language: file.language,
      lines: file.lines,
      parse_error: file.parse_error,
      symbols: nest(await tools.code.symbolsOf(file.id)),
      reindexed,
    };
  },
  text: (outline) => {
    const out = [...reindexedNote(outline.reindexed), `${outline.project.root}/${outline.path} (${outline.language}, ${outline.lines} lines${outline.parse_error ? `, ${outline.parse_error}` : ''})`];
    const pending: Array<[OutlineNode, number]> = outline.symbols.map((node) => [node, 1] as [OutlineNode, number]).reverse();
    let previous = '';
    while (pending.length > 0) {
      const [node, depth] = pending.pop()!;
      const range = node.line_end === node.line_start ? `${node.line_start}` : `${node.line_start}-${node.line_end}`;
      const line = `${'  '.repeat(depth)}${range}  ${node.signature ?? `${node.kind} ${node.name}`}`;
      // One import statement binding several names is one line.
      if (line !== previous) out.push(line);
      previous = line;
      for (const child of [...node.children].reverse()) pending.push([child, depth + 1]);
    }
    return out.join('\n');
  },
});
