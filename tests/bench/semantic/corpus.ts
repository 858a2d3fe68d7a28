import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSourceParser } from '../../../src/analysis/tree-sitter-parser.ts';
import { walkSources } from '../../../src/analysis/source-walker.ts';
import type { CorpusFile } from '../../../src/embeddings/builtin/builtin-model.ts';
import { bodyLines, symbolText } from '../../../src/embeddings/symbol-text.ts';
import type { ParsedSymbol } from '../../../src/db/code-types.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { REPO_ROOT } from '../../helpers/paths.ts';

/** One definition of the corpus, with the text the providers embed. */
export interface CorpusSymbol extends ParsedSymbol {
  tree: string;
  path: string;
  /** `path:qualified_name`, as the query set names its expected definitions. */
  key: string;
  text: string;
}

export interface Tree {
  name: string;
  root: string;
  /** Absolute directories left out. */
  exclude: string[];
}

/** python3's standard library, where this machine keeps it (never a hard-coded path), or null without python3. */
export function pythonStdlib(): string | null {
  const found = spawnSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** The trees the query set is about (test_data/semantic/queries.json says what each is). */
export function labelledTrees(): Tree[] {
  const stdlib = pythonStdlib();
  if (stdlib === null) throw new Error('the semantic bench needs python3 (its standard library is half the corpus)');
  const hono = join(REPO_ROOT, 'node_modules/hono/dist');
  return [
    { name: 'python-stdlib', root: stdlib, exclude: [join(stdlib, 'site-packages')] },
    { name: 'hono', root: hono, exclude: [join(hono, 'cjs'), join(hono, 'types')] },
  ];
}

/** Kinds worth a vector: definitions. Imports only repeat a name defined elsewhere. */
export const EMBEDDED_KINDS = new Set(['class', 'function', 'method']);

export interface Corpus {
  symbols: CorpusSymbol[];
  /** Each file's definitions, for the model's fit (fittingDocuments). */
  files: CorpusFile[];
  /** Source files read and parsed (some define nothing), and their bytes. */
  sourceFiles: number;
  bytes: number;
  /** Wall time of reading and parsing every file. */
  parseSeconds: number;
}

/** Every definition of the trees, parsed with the project's own parser, in a stable order. */
export async function loadCorpus(trees: Tree[]): Promise<Corpus> {
  const parser = createSourceParser({ readBytes: nodeRuntime.fs.readBytes });
  const symbols: CorpusSymbol[] = [];
  const files: CorpusFile[] = [];
  let sourceFiles = 0;
  let bytes = 0;
  // Grammars loaded before the clock starts.
  for (const language of ['python', 'javascript'] as const) await parser.parse('', language);
  const started = process.hrtime.bigint();
  for (const tree of trees) {
    const walk = walkSources(nodeRuntime.fs, tree.root, { languageOf: parser.languageOf, maxFileBytes: 2 * 1024 * 1024, excludeDirs: tree.exclude });
    for await (const file of walk) {
      const source = await readFile(file.absolute, 'utf8');
      sourceFiles++;
      bytes += file.size;
      const { symbols: parsed } = await parser.parse(source, file.language);
      const lines = source.split('\n');
      const members = new Map<string, string[]>();
      for (const symbol of parsed) {
        if (symbol.parent === null || !EMBEDDED_KINDS.has(symbol.kind)) continue;
        members.set(symbol.parent, [...(members.get(symbol.parent) ?? []), symbol.name]);
      }
      const texts: string[] = [];
      for (const symbol of parsed) {
        if (!EMBEDDED_KINDS.has(symbol.kind)) continue;
        const text = symbolText({ ...symbol, path: file.path, members: members.get(symbol.qualified_name) ?? [], body: bodyLines(lines, symbol) });
        symbols.push({ ...symbol, tree: tree.name, path: file.path, key: `${file.path}:${symbol.qualified_name}`, text });
        texts.push(text);
      }
      if (texts.length) files.push({ path: file.path, texts });
    }
  }
  return { symbols, files, sourceFiles, bytes, parseSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
