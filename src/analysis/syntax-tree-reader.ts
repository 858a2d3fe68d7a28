import type { FileSystem } from '../runtime/types.ts';
import { LANGUAGES } from './languages.ts';
import { sha256 } from './parse-job.ts';
import type { FileSyntaxTree, Language, SourceParser } from './types.ts';

/**
 * A stored file's syntax tree, on demand: the index no longer stores trees (issue 12: they
 * were most of its size), so `file_tree` parses the file at `absolute` again, as it is
 * now, and says whether its content still is what was indexed (`hash`).
 */
export async function syntaxTreeOf(fs: FileSystem, parser: SourceParser, absolute: string, file: { path: string; language: string; hash: string }): Promise<FileSyntaxTree> {
  if (!LANGUAGES.includes(file.language as Language)) throw new Error(`${file.path}: no parser for the language ${file.language}`);
  const bytes = await fs.readBytes(absolute);
  const parsed = await parser.syntaxTree(new TextDecoder().decode(bytes), file.language as Language);
  return { ...parsed, changed: (await sha256(bytes)) !== file.hash };
}
