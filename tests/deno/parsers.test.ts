/// <reference lib="deno.ns" />
import { fileURLToPath } from 'node:url';
import { createSourceParser } from '../../src/analysis/index.ts';
import { denoRuntime } from '../../src/runtime/deno.ts';

function assertEquals(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// The default grammar files are found through import.meta.resolve; under Deno that must
// land on the same node_modules WASM files as under Node.
Deno.test('the tree-sitter parsers load their default grammars and parse Python and TypeScript under Deno', async () => {
  const parser = createSourceParser();
  const python = await parser.parse('class A:\n    def m(self):\n        """Doc."""\n', 'python');
  assertEquals(
    python.symbols.map((s) => [s.kind, s.qualified_name, s.parent, s.line_start, s.line_end, s.docstring]),
    [
      ['class', 'A', null, 1, 3, null],
      ['method', 'A.m', 'A', 2, 3, 'Doc.'],
    ],
  );
  assertEquals(python.error, null);
  const calls = await parser.parse('x = f(y.z)\n', 'python');
  assertEquals(calls.references.map((r) => [r.kind, r.name, r.line, r.column]), [['call', 'f', 1, 5], ['name', 'y', 1, 7], ['attribute', 'z', 1, 9]]);
  const ts = await parser.parse("import { x } from 'y';\nexport const f = (a: number): number => a;\n", 'typescript');
  assertEquals(
    ts.symbols.map((s) => [s.kind, s.name, s.signature]),
    [
      ['import', 'x', "import { x } from 'y';"],
      ['function', 'f', 'const f = (a: number): number =>'],
    ],
  );
  assertEquals(parser.languageOf('src/a.tsx'), 'tsx');
});

// As the executable runs: grammar files in a directory of their own, read through the runtime.
Deno.test('the parsers load grammar files from a given directory through the Deno runtime', async () => {
  const dir = await denoRuntime.fs.makeTempDir('ca-deno-wasm-');
  try {
    const source = fileURLToPath(new URL('../../node_modules/tree-sitter-wasms/out/tree-sitter-javascript.wasm', import.meta.url));
    await denoRuntime.fs.writeFileAtomic(`${dir}/javascript.wasm`, await denoRuntime.fs.readBytes(source));
    const parser = createSourceParser({
      grammars: {
        core: fileURLToPath(new URL('../../node_modules/web-tree-sitter/tree-sitter.wasm', import.meta.url)),
        grammar: (language) => `${dir}/${language}.wasm`,
      },
      readBytes: denoRuntime.fs.readBytes,
    });
    const result = await parser.parse("const fs = require('fs');\nclass A { m() {} }\n", 'javascript');
    assertEquals(
      result.symbols.map((s) => [s.kind, s.qualified_name]),
      [
        ['import', 'fs'],
        ['class', 'A'],
        ['method', 'A.m'],
      ],
    );
  } finally {
    await denoRuntime.fs.rm(dir, { recursive: true });
  }
});
