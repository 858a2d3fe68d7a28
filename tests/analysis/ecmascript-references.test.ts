import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ecmascriptReferences } from '../../src/analysis/ecmascript-references.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import type { ParsedReference } from '../../src/analysis/types.ts';
import { withTree } from '../helpers/grammar.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { typescriptReferences } from '../helpers/typescript-references.ts';

const references = (source: string, language: 'typescript' | 'tsx' | 'javascript' = 'typescript') => withTree(language, source, ecmascriptReferences);

const short = (refs: ParsedReference[]) => refs.map((ref) => `${ref.kind} ${ref.name} ${ref.line}:${ref.column}`);

describe('ecmascriptReferences', () => {
  it('finds calls, member reads, imports and type references, not declarations', async () => {
    const source = [
      "import fmt, { format as formatNumber, round } from './format.js';",
      "import * as units from './units';",
      'export class Circle extends Base implements Shape {',
      '  #radius: number = DEFAULT;',
      '  area(scale: Scale = one): Area { return Math.PI * this.#radius * fmt(scale); }',
      '}',
      'const { a, b: renamed = fallback } = source, total = a + renamed;',
      'obj.prop = value; counter += 1; new Circle().area();',
      "export { round as rounded } from './format.js';",
    ].join('\n');
    expect(short(await references(source))).toEqual([
      'import fmt 1:8',
      'import format 1:15',
      'import round 1:39',
      'name Base 3:29',
      'type Shape 3:45',
      'name DEFAULT 4:21',
      'type Scale 5:15',
      'name one 5:23',
      'type Area 5:29',
      'name Math 5:43',
      'attribute PI 5:48',
      'attribute #radius 5:58',
      'call fmt 5:68',
      'name scale 5:72',
      'name fallback 7:25',
      'name source 7:38',
      'name a 7:54',
      'name renamed 7:58',
      'name obj 8:1',
      'name value 8:12',
      'call Circle 8:37',
      'call area 8:46',
      'import round 9:10',
    ]);
  });

  it('reads JSX: components are called, intrinsic elements and attribute names are not references', async () => {
    const source = 'const el = <Panel.Item title={label} onClick={() => go(id)}><div>{count}</div><Counter /></Panel.Item>;';
    expect(short(await references(source, 'tsx'))).toEqual([
      'name Panel 1:13',
      'call Item 1:19',
      'name label 1:31',
      'call go 1:53',
      'name id 1:56',
      'name count 1:67',
      'call Counter 1:80',
    ]);
  });

  it('gives columns in UTF-16 code units on lines with non-ASCII text', async () => {
    expect(short(await references("const s = 'héllo😀' + foo.bar;\nconst naïve = ünïcode;", 'javascript'))).toEqual([
      'name foo 1:23',
      'attribute bar 1:27',
      'name ünïcode 2:15',
    ]);
  });

  it('walks a deeply nested expression without recursion', async () => {
    const depth = 5_000;
    expect(short(await references(`x = ${'['.repeat(depth)}deep${']'.repeat(depth)};`, 'javascript'))).toEqual([`name deep 1:${depth + 5}`]);
  });
});

/** Every file of these trees, parsed by our parser and by the TypeScript compiler: the same references, one by one. */
async function compareWithTypeScript(files: string[]): Promise<number> {
  const parser = createSourceParser();
  let total = 0;
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const parsed = await parser.parse(text, parser.languageOf(file)!);
    expect(parsed.error, file).toBeNull();
    const ours = short(parsed.references).sort();
    expect(ours, file).toEqual(typescriptReferences(file, text).map(([name, line, column, kind]) => `${kind} ${name} ${line}:${column}`).sort());
    total += ours.length;
  }
  return total;
}

async function sources(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true }))
    .filter((name) => /\.(?:[mc]?[jt]s|[jt]sx)$/.test(name))
    .map((name) => join(root, name));
}

describe('ecmascriptReferences against the TypeScript compiler\'s own parser', () => {
  it('agrees on every file of node_modules/hono/dist (JavaScript and .d.ts)', async () => {
    const files = await sources(join(REPO_ROOT, 'node_modules/hono/dist'));
    expect(files.length).toBeGreaterThan(400);
    expect(await compareWithTypeScript(files)).toBeGreaterThan(40_000);
  });

  it('agrees on every file of the ts-sample project (TS, TSX, CommonJS, ESM)', async () => {
    const files = await sources(join(REPO_ROOT, 'test_data/projects/ts-sample/src'));
    expect(await compareWithTypeScript(files)).toBeGreaterThan(50);
  });
});
