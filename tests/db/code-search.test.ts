import { describe, expect, it } from 'vitest';
import { CODE_TARGETS, fileInput as file, openCodeOn, parsed, symbol } from '../helpers/code-fixtures.ts';

describe.each(CODE_TARGETS)('CodeDatabase.search on the %s', (_name, start) => {
  async function searchable() {
    const { db, code } = await openCodeOn(start);
    const p = await code.ensureProject('/p', 'p');
    const q = await code.ensureProject('/q', 'q');
    await code.saveFile(
      p.id,
      file('geometry.py'),
      parsed([
        symbol('compute', 'function', { docstring: 'Returns the area of the shape.' }),
        symbol('surface_area', 'function'),
        symbol('area_of', 'function'),
        symbol('Area', 'class'),
        symbol('unrelated', 'function', { docstring: 'Nothing to see.' }),
      ]),
    );
    await code.saveFile(q.id, file('other.py'), parsed([symbol('area', 'method', { qualified_name: 'Shape.area', parent: 'Shape' })]));
    return { db, code, p, q };
  }

  it('puts exact names before prefixes before names containing the word before docstring-only matches', async () => {
    const { code } = await searchable();
    const hits = await code.search('area');
    expect(hits.map((hit) => hit.name)).toEqual([expect.stringMatching(/^area$/i), expect.stringMatching(/^area$/i), 'area_of', 'surface_area', 'compute']);
    expect(hits[4]).toMatchObject({ path: 'geometry.py', project: '/p', docstring: 'Returns the area of the shape.', kind: 'function' });
    expect((await code.search('area', { limit: 2 })).map((hit) => hit.name.toLowerCase())).toEqual(['area', 'area']);
    // Every word must match, in the name, the qualified name or the docstring.
    expect((await code.search('Shape.area')).map((hit) => hit.qualified_name).sort()).toEqual(['Shape.area', 'compute']);
  });

  it('filters by kind and project before the limit, so many other matches never hide one', async () => {
    const { code, p, q } = await searchable();
    const crowd = Array.from({ length: 60 }, () => symbol('area', 'function'));
    await code.saveFile(p.id, file('crowd.py'), parsed(crowd));
    expect((await code.search('area', { kind: 'class', limit: 1 })).map((hit) => [hit.name, hit.kind])).toEqual([['Area', 'class']]);
    expect((await code.search('area', { projectId: q.id, limit: 1 })).map((hit) => hit.qualified_name)).toEqual(['Shape.area']);
    expect(await code.search('area', { projectId: q.id, kind: 'function' })).toEqual([]);
    expect((await code.search('area', { projectId: p.id, kind: 'function', limit: 100 })).filter((hit) => hit.name === 'area')).toHaveLength(60);
  });

  it('treats FTS syntax in the words as plain text, never as an error', async () => {
    const { code } = await searchable();
    for (const text of ['"area', 'area"', 'area*', '* area', 'area OR compute', 'NEAR(area compute)', 'area AND', 'NOT area', '-area', 'area:', '^area', "area'); DROP TABLE symbols; --", '{area}', 'a"r"e"a']) {
      await expect(code.search(text), text).resolves.toBeInstanceOf(Array);
    }
    expect((await code.search('area OR')).map((hit) => hit.name)).toEqual([]);
    expect((await code.search('NEAR(area')).map((hit) => hit.name)).toEqual([]);
    expect((await code.search('"area"*')).length).toBe(5);
    expect((await code.search('shape returns')).map((hit) => hit.name)).toEqual(['compute']);
  });

  it('answers [] for an empty or punctuation-only query', async () => {
    const { code } = await searchable();
    for (const text of ['', '   ', '"', '***', '()', '."-:^']) expect(await code.search(text), JSON.stringify(text)).toEqual([]);
    expect(await code.search('nomatchanywhere')).toEqual([]);
  });
});

describe.each(CODE_TARGETS)('CodeDatabase.search ranking on the %s', (_name, start) => {
  it('for an exact name: definitions before imports, then the main code (src/, lib/) before the rest before tests, examples and docs', async () => {
    const { code } = await openCodeOn(start);
    const p = await code.ensureProject('/r', 'r');
    // Saved in none of the expected orders, so neither insertion order nor path order passes by chance.
    const saves: Array<[string, ReturnType<typeof symbol>]> = [
      ['tests/test_engine.py', symbol('create_engine', 'function')],
      ['app/__init__.py', symbol('create_engine', 'import')],
      ['docs/example.py', symbol('create_engine', 'import')],
      ['lib/engine/create.py', symbol('create_engine', 'function', { docstring: 'Create an engine.' })],
      ['src/engine/url.py', symbol('create_engine_url', 'function')],
      ['tools/engine.py', symbol('create_engine', 'class')],
      ['src/engine/__init__.py', symbol('create_engine', 'import')],
      ['examples/run.py', symbol('create_engine', 'function')],
      ['src/engine/sub_test.py', symbol('create_engine', 'method', { qualified_name: 'T.create_engine', parent: 'T' })],
    ];
    for (const [path, found] of saves) await code.saveFile(p.id, file(path), parsed([found]));
    expect((await code.search('create_engine')).map((hit) => `${hit.kind} ${hit.path}`)).toEqual([
      'function lib/engine/create.py',
      'class tools/engine.py',
      'function examples/run.py',
      'function tests/test_engine.py',
      'method src/engine/sub_test.py',
      'import src/engine/__init__.py',
      'import app/__init__.py',
      'import docs/example.py',
      'function src/engine/url.py',
    ]);
    // The limit applies after the ranking.
    expect((await code.search('create_engine', { limit: 1 })).map((hit) => hit.path)).toEqual(['lib/engine/create.py']);
  });

  it('the name as typed comes before the same name in another case', async () => {
    const { code } = await openCodeOn(start);
    const p = await code.ensureProject('/r', 'r');
    await code.saveFile(p.id, file('a.py'), parsed([symbol('area', 'function'), symbol('Area', 'class')]));
    expect((await code.search('Area')).map((hit) => hit.name)).toEqual(['Area', 'area']);
    expect((await code.search('area')).map((hit) => hit.name)).toEqual(['area', 'Area']);
  });
});
