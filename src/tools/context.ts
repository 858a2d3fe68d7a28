import { type FileParser, inProcessParser } from '../analysis/parse-pool.ts';
import { createSourceParser } from '../analysis/tree-sitter-parser.ts';
import type { SourceParser } from '../analysis/types.ts';
import { EmbeddingSource } from '../analysis/embedding-source.ts';
import type { EmbeddingsConfig } from '../config/schema.ts';
import type { CodeDatabase } from '../db/code-database.ts';
import type { Logger } from '../runtime/logger.ts';
import type { FileSystem } from '../runtime/types.ts';
import type { IndexerLink } from './indexer-link.ts';
import { LocalScans } from './local-scans.ts';

/**
 * What the code tools work with, whichever door called them (MCP, HTTP, CLI): the index,
 * the files of its projects, and the indexer.
 */
export interface CodeTools {
  /** Reads of the index. */
  code: CodeDatabase;
  /** Writes to the index (re-indexing a file that changed): the connection allowed to write the code tables. */
  writer: CodeDatabase;
  fs: FileSystem;
  parser: SourceParser;
  /** Re-indexing files from the tools: read, hash and parse in this thread, with `parser`. */
  files: FileParser;
  /** Directories never read nor indexed, though inside a project root: the server's data dir. */
  excludeDirs: string[];
  /** The indexer worker of a running server, if any. */
  indexer: IndexerLink;
  /** Project scans run by this process (a reindex when no indexer worker watches the project). */
  scans: LocalScans;
  /** The configured embedding provider, for semantic_search's question (opened on first need). */
  embeddings: EmbeddingSource;
  logger: Logger;
}

export type CodeToolsOptions = Omit<CodeTools, 'writer' | 'parser' | 'files' | 'scans' | 'embeddings'> &
  Partial<Pick<CodeTools, 'writer' | 'parser'>> & { embeddings: EmbeddingsConfig };

export function createCodeTools(options: CodeToolsOptions): CodeTools {
  const parser = options.parser ?? createSourceParser({ readBytes: options.fs.readBytes });
  return {
    ...options,
    writer: options.writer ?? options.code,
    parser,
    files: inProcessParser(options.fs, parser),
    scans: new LocalScans(),
    embeddings: new EmbeddingSource(options.embeddings, { fs: options.fs }),
  };
}
