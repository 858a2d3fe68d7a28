/// <reference lib="deno.ns" />
import { createParsePool, inProcessParser } from '../../src/analysis/parse-pool.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { denoRuntime } from '../../src/runtime/deno.ts';

function assertEquals(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// The parse threads are Web Workers under Deno, running the TypeScript sources as they are.
Deno.test('the parse pool parses in Deno workers exactly what an in-process parse gives', async () => {
  const dir = await denoRuntime.fs.makeTempDir('ca-deno-pool-');
  const pool = createParsePool(denoRuntime, { size: 2 });
  try {
    const files = {
      'a.py': 'import os\n\nclass A:\n    def m(self):\n        """Doc."""\n        return os.sep\n',
      'b.ts': "import { x } from 'y';\nexport class B { run(): number { return x; } }\n",
      'c.js': 'function f() { return 1; }\n',
    };
    const languages = { 'a.py': 'python', 'b.ts': 'typescript', 'c.js': 'javascript' } as const;
    for (const [name, text] of Object.entries(files)) await denoRuntime.fs.writeFileAtomic(`${dir}/${name}`, text);
    const local = inProcessParser(denoRuntime.fs, createSourceParser());
    for (const name of Object.keys(files) as Array<keyof typeof files>) {
      const job = { absolute: `${dir}/${name}`, language: languages[name], knownHash: null };
      const [threaded, inProcess] = await Promise.all([pool.parse(job), local.parse(job)]);
      assertEquals(threaded, inProcess);
      if (threaded.unchanged || threaded.content.symbols.length === 0) throw new Error(`${name}: no symbols from the thread`);
    }
    const again = await pool.parse({ absolute: `${dir}/a.py`, language: 'python', knownHash: (await local.parse({ absolute: `${dir}/a.py`, language: 'python', knownHash: null })).hash });
    assertEquals(again.unchanged, true);
  } finally {
    await pool.close();
    await denoRuntime.fs.rm(dir, { recursive: true });
  }
});
