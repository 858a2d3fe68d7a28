import { join } from 'node:path';
import type { FileSyntaxTree, SyntaxTreeSource } from '../db/code-types.ts';
import type { FileSystem } from '../runtime/types.ts';
import { LANGUAGES } from './languages.ts';
import { sha256 } from './parse-job.ts';
import type { Language, SourceParser } from './types.ts';

/**
 * Syntax trees on demand: the index no longer stores them (issue 12: they were most of
 * its size), so `file_tree` parses the file again, as it is now, and says whether its
 * content still is what was indexed.
 */
export function syntaxTreeReader(fs: FileSystem, parser: SourceParser): SyntaxTreeSource {
  return async (root, file): Promise<FileSyntaxTree | null> => {
    if (!LANGUAGES.includes(file.language as Language)) throw new Error(`${file.path}: no parser for the language ${file.language}`);
    const absolute = join(root, file.path);
    if (!(await fs.stat(absolute))?.isFile) return null;
    const bytes = await fs.readBytes(absolute);
    const parsed = await parser.syntaxTree(new TextDecoder().decode(bytes), file.language as Language);
    return { ...parsed, changed: (await sha256(bytes)) !== file.hash };
  };
}
