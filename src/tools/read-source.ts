import * as v from 'valibot';
import { RpcError } from '../ipc/errors.ts';
import { FilePath, LineNumber, ProjectRef } from './fields.ts';
import { projectIdentity, resolveFile } from './project-ref.ts';
import { numbered } from './render.ts';
import { Count, Line, ProjectRefShape } from './shapes.ts';
import { SourceFiles } from './source-file.ts';
import { tool } from './tool.ts';

/** Lines given when line_end is not set. */
export const DEFAULT_LINES = 200;
/** Most lines given per call; the answer says where to go on. */
export const MAX_LINES = 500;
/** Longer lines (minified code) are cut, and the cut said. */
export const MAX_LINE_CHARS = 2_000;

export const readSource = tool({
  name: 'read_source',
  title: 'Read source lines',
  description:
    `Numbered lines of a file inside an indexed project (any text file under its root, not only parsed ones). At most ${MAX_LINES} ` +
    `lines per call (${DEFAULT_LINES} when line_end is not given); the answer says which line_start reads on.`,
  params: v.strictObject({
    path: FilePath,
    project: v.optional(ProjectRef),
    line_start: LineNumber('First line to read (1-based, default 1).'),
    line_end: LineNumber(`Last line to read, inclusive (default line_start + ${DEFAULT_LINES - 1}; at most ${MAX_LINES} lines per call).`),
  }),
  result: v.object({
    project: ProjectRefShape,
    path: v.string(),
    line_start: Line,
    line_end: v.pipe(Count, v.description('Last line given (line_start - 1 when the file is empty).')),
    total_lines: Count,
    lines: v.array(v.string()),
    next_line_start: v.pipe(v.nullable(Line), v.description('Where to go on reading, or null at the end of the file.')),
    cut_lines: v.pipe(Count, v.description(`Lines longer than ${MAX_LINE_CHARS} characters, cut.`)),
  }),
  mcp: true,
  run: async (tools, params) => {
    const target = await resolveFile(tools, params.project, params.path);
    const { lines } = await new SourceFiles(tools).read(target);
    const start = params.line_start ?? 1;
    if (params.line_end !== undefined && params.line_end < start) {
      throw new RpcError('VALIDATION_ERROR', `line_end: ${params.line_end} is before line_start ${start}`, { field: 'line_end' });
    }
    if (start > Math.max(lines.length, 1)) {
      throw new RpcError('VALIDATION_ERROR', `line_start: ${start} is past the end of ${target.path} (${lines.length} lines)`, { field: 'line_start' });
    }
    const end = Math.min(params.line_end ?? start + DEFAULT_LINES - 1, start + MAX_LINES - 1, lines.length);
    let cut = 0;
    const given = lines.slice(start - 1, end).map((line) => {
      if (line.length <= MAX_LINE_CHARS) return line;
      cut++;
      return `${line.slice(0, MAX_LINE_CHARS)} … [${line.length - MAX_LINE_CHARS} more characters]`;
    });
    const { project } = target;
    return {
      project: projectIdentity(project),
      path: target.path,
      line_start: start,
      line_end: end,
      total_lines: lines.length,
      lines: given,
      next_line_start: end < lines.length ? end + 1 : null,
      cut_lines: cut,
    };
  },
  text: (read) => {
    const head = `${read.project.root}/${read.path}: lines ${read.line_start}-${read.line_end} of ${read.total_lines}`;
    const next = read.next_line_start === null ? '(end of file)' : `(more: read_source {path: "${read.path}", line_start: ${read.next_line_start}})`;
    return [head, ...(read.lines.length ? [numbered(read.lines, read.line_start)] : []), next].join('\n');
  },
});
