import { fileURLToPath } from 'node:url';
import { embeddedAssets } from '../runtime/index.ts';
import type { Language } from './types.ts';

/**
 * Where the WASM files live. From npm packages by default; the single executable
 * passes paths in its cache directory instead.
 */
export interface GrammarFiles {
  /** Path or file URL of web-tree-sitter's own `tree-sitter.wasm`. */
  core: string;
  /** Path or file URL of one language's grammar `.wasm`. */
  grammar(language: Language): string;
}

/**
 * The single executable's extracted WASM files when it is one; otherwise the files in the
 * checkout's node_modules, relative to this source file: vitest has no
 * `import.meta.resolve`, while Node (tsx) and Deno all give `import.meta.url`.
 */
export function defaultGrammarFiles(): GrammarFiles {
  const embedded = embeddedAssets();
  if (embedded) return { core: embedded.treeSitterCore, grammar: (language) => embedded.grammar(language) };
  const modules = new URL('../../node_modules/', import.meta.url);
  return {
    core: new URL('web-tree-sitter/tree-sitter.wasm', modules).href,
    grammar: (language) => new URL(`tree-sitter-wasms/out/tree-sitter-${language}.wasm`, modules).href,
  };
}

/** web-tree-sitter reads a plain path on Node and Deno; it would treat a `file:` URL string as a path. */
export function toFilePath(pathOrUrl: string): string {
  return pathOrUrl.startsWith('file:') ? fileURLToPath(pathOrUrl) : pathOrUrl;
}
