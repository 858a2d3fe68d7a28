/**
 * What the code index stores of one source file (DESIGN §9): its symbols and the
 * identifier uses that are not definitions. The parsers produce it (src/analysis), the
 * CodeDatabase stores it; this file is the contract between the two, so neither imports
 * the other's internals.
 */

export type Language = 'python' | 'typescript' | 'tsx' | 'javascript';

export type SymbolKind = 'class' | 'function' | 'method' | 'import';

/** A type alias, not an interface, so a stored row of it fits `Record<string, unknown>`. */
export type ParsedSymbol = {
  name: string;
  kind: SymbolKind;
  /** Parents' names and this one joined with '.', e.g. `JSONDecoder.raw_decode`. */
  qualified_name: string;
  /** The qualified name of the enclosing class or function, or null at top level. */
  parent: string | null;
  /** 1-based, inclusive. */
  line_start: number;
  line_end: number;
  /** The declaration's head as written (`def f(a, b=1) -> int`, `class A(B)`, the import statement), or null. */
  signature: string | null;
  /** The docstring (Python) or JSDoc comment text (TS/JS), cleaned of quotes and comment markers, or null. */
  docstring: string | null;
};

/** Everything stored about one file's content, as a parser made it. */
export interface FileContent {
  symbols: ParsedSymbol[];
  /** Uses of names that are not their definitions, in source order. */
  references: ParsedReference[];
  /** Where the source does not parse (`syntax error at 12:4`, …), or null; symbols found elsewhere are kept. */
  error: string | null;
}

/**
 * How an identifier is used where it is not defined: a call (`f()`, `obj.f()`), an
 * attribute access (`obj.f`), an import (`from m import f`, `import { f }`), a type
 * reference (an annotation or a type position), or any other use as a name.
 */
export type ReferenceKind = 'call' | 'attribute' | 'import' | 'type' | 'name';

/** One use of an identifier that is not its definition, as a parser found it. */
export type ParsedReference = {
  name: string;
  /** 1-based line of the identifier's first character. */
  line: number;
  /** 1-based column of the identifier's first character, in characters of its line (UTF-16 code units). */
  column: number;
  kind: ReferenceKind;
};

/** A reference as the index answers it: where it is and which symbol it is inside. */
export type StoredReference = ParsedReference & {
  project_id: number;
  /** Path relative to the project root, '/' separators. */
  path: string;
  /** Qualified name of the innermost class, function or method whose lines hold it, or null at module level. */
  enclosing: string | null;
};
