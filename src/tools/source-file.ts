import { join, relative, sep } from 'node:path';
import { RpcError } from '../ipc/errors.ts';
import type { FileInfo } from '../runtime/types.ts';
import type { CodeTools } from './context.ts';
import { isInside, type FileTarget } from './project-ref.ts';

/** Files larger than this are not read whole (a source file never is). */
export const MAX_READ_BYTES = 16 * 1024 * 1024;
/** Version-control internals may hold credentials (remote URLs with tokens): never served. */
const VCS_DIRS = new Set(['.git', '.hg', '.svn']);

export interface SourceText {
  /** The file's real path. */
  absolute: string;
  info: FileInfo;
  /** Its lines without their line ends; lines[0] is line 1. */
  lines: string[];
}

/**
 * Reads projects' files for one tool call, refusing any that is not really inside its
 * project root (PERMISSION_DENIED): after every symbolic link, the file must be under the
 * root and outside the server's data dir and VCS folders. Each root's and excluded
 * directory's real path is resolved once per call.
 */
export class SourceFiles {
  private readonly realPaths = new Map<string, Promise<string | null>>();

  constructor(private readonly tools: CodeTools) {}

  private realpath(path: string): Promise<string | null> {
    let real = this.realPaths.get(path);
    if (!real) this.realPaths.set(path, (real = this.tools.fs.realpath(path)));
    return real;
  }

  /** Where a project's file really is, checked. */
  async locate(target: FileTarget, field = 'path'): Promise<{ absolute: string; info: FileInfo }> {
    const { fs } = this.tools;
    const { project, path } = target;
    const root = await this.realpath(project.root);
    if (!root) throw new RpcError('NOT_FOUND', `the root of project ${project.name} (${project.root}) no longer exists`, { field: 'project' });
    const absolute = await fs.realpath(join(project.root, path));
    if (!absolute) throw new RpcError('NOT_FOUND', `${field}: no file ${path} in project ${project.name} (${project.root})`, { field });
    if (!isInside(absolute, root)) throw new RpcError('PERMISSION_DENIED', `${field}: ${path} leads outside the project root through a symbolic link`, { field });
    for (const dir of this.tools.excludeDirs) {
      if (isInside(absolute, (await this.realpath(dir)) ?? dir)) throw new RpcError('PERMISSION_DENIED', `${field}: ${path} is inside the server's data directory`, { field });
    }
    if (relative(root, absolute).split(sep).some((part) => VCS_DIRS.has(part))) {
      throw new RpcError('PERMISSION_DENIED', `${field}: ${path} is inside a version-control folder`, { field });
    }
    const info = await fs.stat(absolute);
    if (!info?.isFile) throw new RpcError('VALIDATION_ERROR', `${field}: ${path} is not a file${info?.isDirectory ? ' but a directory' : ''}`, { field });
    return { absolute, info };
  }

  /** A project's text file, read whole, split into lines as the parser numbers them. */
  async read(target: FileTarget, field = 'path'): Promise<SourceText> {
    const { absolute, info } = await this.locate(target, field);
    if (info.size > MAX_READ_BYTES) {
      throw new RpcError('VALIDATION_ERROR', `${field}: ${target.path} is ${info.size} bytes, more than the ${MAX_READ_BYTES} this server reads`, { field });
    }
    const bytes = await this.tools.fs.readBytes(absolute);
    if (bytes.subarray(0, 8_192).includes(0)) throw new RpcError('VALIDATION_ERROR', `${field}: ${target.path} is a binary file`, { field });
    return { absolute, info, lines: splitLines(new TextDecoder().decode(bytes)) };
  }

  /** The lines of a file, or null when it cannot be read (a tool error names why; the caller goes on without them). */
  async linesOrNull(target: FileTarget): Promise<string[] | null> {
    try {
      return (await this.read(target)).lines;
    } catch (error) {
      if (error instanceof RpcError) return null;
      throw error;
    }
  }
}

/** Lines as tree-sitter counts rows: split at '\n', a '\r' before it dropped, no empty line after a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}
