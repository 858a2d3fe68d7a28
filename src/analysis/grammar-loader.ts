import { Language as Grammar, Parser } from 'web-tree-sitter';
import { toFilePath } from './grammar-files.ts';

/** Reads a whole file (the runtime's `fs.readBytes`). */
export type ReadBytes = (path: string) => Promise<Uint8Array>;

// web-tree-sitter is one WASM module per process into which every grammar is linked:
// initialising it again would orphan the grammars already loaded, and linking two
// grammars at the same time collides. So the core starts once, grammars load one at a
// time, and each grammar file is loaded once for every parser.
let core: Promise<void> | undefined;
let linking: Promise<unknown> = Promise.resolve();
const grammars = new Map<string, Promise<Grammar>>();

function initCore(coreFile: string, readBytes: ReadBytes | undefined): Promise<void> {
  const path = toFilePath(coreFile);
  // Given the bytes, web-tree-sitter reads nothing itself: when it has to read a missing
  // core file, it also leaves an unhandled rejection behind.
  core ??= (readBytes ? readBytes(path) : Promise.resolve(undefined))
    .then((wasmBinary) => Parser.init({ locateFile: () => path, ...(wasmBinary && { wasmBinary }) }))
    .catch((error: unknown) => {
      core = undefined;
      throw error;
    });
  return core;
}

/** The grammar in `grammarFile`, loaded on first use; a failed load is retried next time. */
export function loadGrammar(coreFile: string, grammarFile: string, readBytes?: ReadBytes): Promise<Grammar> {
  const path = toFilePath(grammarFile);
  let grammar = grammars.get(path);
  if (!grammar) {
    grammar = linking.then(() => initCore(coreFile, readBytes)).then(async () => Grammar.load(readBytes ? await readBytes(path) : path));
    linking = grammar.catch(() => undefined);
    grammar.catch(() => grammars.delete(path));
    grammars.set(path, grammar);
  }
  return grammar;
}
