import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSourceParser, type ParsedSymbol, type ParseResult } from '../../src/analysis/index.ts';
import { pythonSymbolReader } from '../../src/analysis/python-symbols.ts';
import { readSymbols } from '../../src/analysis/symbol-reader.ts';
import { withTree } from '../helpers/grammar.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

// Code nobody here wrote, present after install: hono's ESM and CommonJS builds, postgres.js
// as written (ESM and its CommonJS copy), and Python's own json package when python3 exists.
const parser = createSourceParser();

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith(extension))
    .map((path) => join(dir, path))
    .sort();
}

const jsFiles = ['node_modules/hono/dist', 'node_modules/postgres/src', 'node_modules/postgres/cjs/src'].flatMap((dir) =>
  filesUnder(join(REPO_ROOT, dir), '.js'),
);

const python = spawnSync('python3', ['-c', 'import json, os; print(os.path.dirname(json.__file__))'], { encoding: 'utf8' });
const jsonPackage = python.status === 0 ? python.stdout.trim() : null;

/** What must hold for any file: see the describe blocks below. */
function invariantViolations(result: ParseResult, source: string): string[] {
  const lineCount = source.split('\n').length;
  const classes = new Set(result.symbols.filter((s) => s.kind === 'class').map((s) => s.qualified_name));
  const byName = new Map<string, ParsedSymbol[]>();
  for (const symbol of result.symbols) byName.set(symbol.qualified_name, [...(byName.get(symbol.qualified_name) ?? []), symbol]);
  return [
    ...result.symbols
      .filter((s) => !(s.line_start >= 1 && s.line_start <= s.line_end && s.line_end <= lineCount))
      .map((s) => `${s.qualified_name}: lines ${s.line_start}-${s.line_end} of ${lineCount}`),
    ...result.symbols.filter((s) => s.kind === 'method' && !classes.has(s.parent ?? '')).map((s) => `${s.qualified_name}: parent ${s.parent} is no class`),
    ...result.symbols.filter((s) => s.parent !== null && s.qualified_name !== `${s.parent}.${s.name}`).map((s) => `${s.qualified_name}: not ${s.parent}.${s.name}`),
    // The same qualified name twice only for overloads: same kind, each with its own signature (get/set pairs).
    ...[...byName]
      .filter(([, same]) => same.length > 1 && (new Set(same.map((s) => s.kind)).size > 1 || new Set(same.map((s) => s.signature)).size < same.length))
      .map(([name]) => `${name}: defined ${byName.get(name)!.length} times`),
  ];
}

describe('JavaScript packages in node_modules', () => {
  it('has files to parse', () => {
    expect(jsFiles.length).toBeGreaterThan(100);
  });

  it('every file parses without errors, and its symbols hold the invariants', async () => {
    const symbols: ParsedSymbol[] = [];
    for (const file of jsFiles) {
      const source = readFileSync(file, 'utf8');
      const result = await parser.parse(source, parser.languageOf(file)!);
      expect({ file: relative(REPO_ROOT, file), error: result.error, violations: invariantViolations(result, source) }).toEqual({
        file: relative(REPO_ROOT, file),
        error: null,
        violations: [],
      });
      symbols.push(...result.symbols);
    }
    expect(new Set(symbols.map((s) => s.kind))).toEqual(new Set(['class', 'function', 'method', 'import']));
    expect(symbols.filter((s) => s.kind === 'method' && s.qualified_name === 'Hono.route')).not.toHaveLength(0);
  });
});

describe.skipIf(jsonPackage === null)("Python's json package", () => {
  it('every module parses without errors, and its symbols hold the invariants', async () => {
    const files = filesUnder(jsonPackage!, '.py').filter((file) => !file.includes('__pycache__'));
    expect(files.map((file) => relative(jsonPackage!, file))).toContain('decoder.py');
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const result = await parser.parse(source, 'python');
      expect({ file, error: result.error, violations: invariantViolations(result, source) }).toEqual({ file, error: null, violations: [] });
    }
  });

  // The parser reads the symbols on the references' walk; when the references fail, on a walk of their own.
  it("reads the same symbols on a walk of their own as on the references' walk", async () => {
    let symbols = 0;
    for (const file of filesUnder(jsonPackage!, '.py')) {
      const source = readFileSync(file, 'utf8');
      const parsed = await parser.parse(source, 'python');
      const alone = await withTree('python', source, (root) => readSymbols(root, source, pythonSymbolReader(source)));
      expect(alone, file).toEqual({ symbols: parsed.symbols, error: null });
      symbols += alone.symbols.length;
    }
    expect(symbols).toBeGreaterThan(50);
  });

  it('json/decoder.py has the method JSONDecoder.raw_decode', async () => {
    const source = readFileSync(join(jsonPackage!, 'decoder.py'), 'utf8');
    const { symbols } = await parser.parse(source, 'python');
    const rawDecode = symbols.find((s) => s.qualified_name === 'JSONDecoder.raw_decode');
    expect(rawDecode).toMatchObject({ kind: 'method', parent: 'JSONDecoder', name: 'raw_decode', signature: expect.stringMatching(/^def raw_decode\(self, s, idx=0\)/) });
    const lines = source.split('\n');
    expect(lines[rawDecode!.line_start - 1]).toMatch(/^\s+def raw_decode\(/);
    expect(rawDecode!.docstring).toMatch(/^Decode a JSON document from ``s``/);
  });
});
