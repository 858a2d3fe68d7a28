import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetCacheRoot, extractedAssets, MANIFEST_ASSET, STAMP_SUFFIX, type AssetReader } from '../../src/runtime/embedded-assets.ts';
import type { EmbeddedAssets } from '../../src/runtime/types.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (value: string) => new TextEncoder().encode(value);

/** What build/build.mjs embeds, in miniature: files plus a manifest of their hashes. */
function embedded(files: Record<string, Uint8Array>, version = '1.2.3'): { read: AssetReader; reads: string[] } {
  const assets = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, sha256(bytes)]));
  const manifest = text(JSON.stringify({ version, id: sha256(text(JSON.stringify(assets))).slice(0, 16), assets }));
  const all: Record<string, Uint8Array> = { ...files, [MANIFEST_ASSET]: manifest };
  const reads: string[] = [];
  return {
    reads,
    read: (name) => {
      reads.push(name);
      const bytes = all[name];
      if (!bytes) throw new Error(`no asset ${name}`);
      return bytes;
    },
  };
}

const FILES = { 'tree-sitter.wasm': text('core'), 'tree-sitter-python.wasm': text('python grammar'), 'better_sqlite3.node': text('addon') };

/** Every file a process can ask for (the addon is asked for by loading it, which a fake cannot). */
const useAll = (assets: EmbeddedAssets) => [assets.treeSitterCore, assets.grammar('python')];

describe('extractedAssets', () => {
  it('extracts into <root>/<version>-<manifest id>/ and names each file by its role', async () => {
    const root = await makeTempDir();
    const assets = extractedAssets(embedded(FILES).read, root);
    expect(assets.dir).toMatch(new RegExp(`^${root}/1\\.2\\.3-[0-9a-f]{16}$`));
    expect(await readFile(assets.treeSitterCore, 'utf8')).toBe('core');
    expect(await readFile(assets.grammar('python'), 'utf8')).toBe('python grammar');
    expect(() => assets.grammar('cobol')).toThrow(/carries no tree-sitter-cobol\.wasm/);
    // The onnx embedding provider's runtime, when the build embeds it.
    expect(() => assets.onnxRuntimeWasm).toThrow(/carries no ort-wasm-simd-threaded\.wasm/);
    const withOnnx = extractedAssets(embedded({ ...FILES, 'ort-wasm-simd-threaded.wasm': text('onnx runtime') }).read, await makeTempDir());
    expect(await readFile(withOnnx.onnxRuntimeWasm, 'utf8')).toBe('onnx runtime');
  });

  it('writes and checks only the files this process asks for, each once', async () => {
    const root = await makeTempDir();
    const source = embedded(FILES);
    const assets = extractedAssets(source.read, root);
    assets.grammar('python');
    assets.grammar('python');
    expect(source.reads).toEqual([MANIFEST_ASSET, 'tree-sitter-python.wasm']);
    expect((await readdir(assets.dir)).sort()).toEqual(['tree-sitter-python.wasm', `tree-sitter-python.wasm${STAMP_SUFFIX}`]);
  });

  it('reuses intact files, and rewrites a corrupted or truncated one on the next start', async () => {
    const root = await makeTempDir();
    const first = extractedAssets(embedded(FILES).read, root);
    useAll(first);
    const again = embedded(FILES);
    useAll(extractedAssets(again.read, root));
    expect(again.reads).toEqual([MANIFEST_ASSET]);

    await writeFile(first.grammar('python'), 'garbage');
    await writeFile(first.treeSitterCore, 'co');
    const healing = embedded(FILES);
    useAll(extractedAssets(healing.read, root));
    expect(healing.reads).toEqual([MANIFEST_ASSET, 'tree-sitter.wasm', 'tree-sitter-python.wasm']);
    expect(await readFile(first.grammar('python'), 'utf8')).toBe('python grammar');
    expect(await readFile(first.treeSitterCore, 'utf8')).toBe('core');
    expect((await readdir(first.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('stamps each verified file with its hash, and sees a same-size overwrite with its mtime set back', async () => {
    const root = await makeTempDir();
    const first = extractedAssets(embedded(FILES).read, root);
    const grammar = first.grammar('python');
    expect(await readFile(grammar + STAMP_SUFFIX, 'utf8')).toMatch(new RegExp(`^${sha256(FILES['tree-sitter-python.wasm'])} `));

    // A whole second is exact in every timestamp format, so the overwrite below keeps mtime to the nanosecond.
    await utimes(grammar, 1_000_000_000, 1_000_000_000);
    extractedAssets(embedded(FILES).read, root).grammar('python');
    await writeFile(grammar, 'PYTHON GRAMMAR');
    await utimes(grammar, 1_000_000_000, 1_000_000_000);
    // Even a stamp touched after the overwrite does not hide it: the ctime moved, and no one can set it back.
    const later = new Date(Date.now() + 60_000);
    await utimes(grammar + STAMP_SUFFIX, later, later);
    const healing = embedded(FILES);
    extractedAssets(healing.read, root).grammar('python');
    expect(healing.reads).toEqual([MANIFEST_ASSET, 'tree-sitter-python.wasm']);
    expect(await readFile(grammar, 'utf8')).toBe('python grammar');
  });

  it('hashes a file again when its stamp is garbled or not newer than the file, and stamps it anew', async () => {
    const root = await makeTempDir();
    const grammar = extractedAssets(embedded(FILES).read, root).grammar('python');
    const stamp = grammar + STAMP_SUFFIX;
    const written = await readFile(stamp, 'utf8');

    await writeFile(stamp, 'garbled');
    const afterGarbled = embedded(FILES);
    extractedAssets(afterGarbled.read, root).grammar('python');
    expect(afterGarbled.reads).toEqual([MANIFEST_ASSET]);
    expect(await readFile(stamp, 'utf8')).toBe(written);

    // A stamp written within the same clock tick as the file changed could miss that change.
    await utimes(stamp, 0, 0);
    extractedAssets(embedded(FILES).read, root).grammar('python');
    expect((await stat(stamp)).mtimeMs).toBeGreaterThan((await stat(grammar)).ctimeMs);
  });

  it('serves a verified file whose stamp cannot be written (a read-only cache), leaving no temp file', async () => {
    const root = await makeTempDir();
    const grammar = extractedAssets(embedded(FILES).read, root).grammar('python');
    await rm(grammar + STAMP_SUFFIX);
    await mkdir(grammar + STAMP_SUFFIX);
    const again = embedded(FILES);
    expect(extractedAssets(again.read, root).grammar('python')).toBe(grammar);
    expect(again.reads).toEqual([MANIFEST_ASSET]);
    expect((await readdir(dirname(grammar))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('trusts a file its stamp vouches for without reading it (a stamp is written only after a hash check)', async () => {
    const root = await makeTempDir();
    const grammar = extractedAssets(embedded(FILES).read, root).grammar('python');
    await writeFile(grammar, 'unread');
    const file = await stat(grammar, { bigint: true });
    const hash = sha256(FILES['tree-sitter-python.wasm']);
    await writeFile(grammar + STAMP_SUFFIX, `${hash} ${file.size} ${file.ino} ${file.mtimeNs} ${file.ctimeNs}\n`);
    const later = new Date(Date.now() + 60_000);
    await utimes(grammar + STAMP_SUFFIX, later, later);
    extractedAssets(embedded(FILES).read, root).grammar('python');
    expect(await readFile(grammar, 'utf8')).toBe('unread');
  });

  it('gives another version its own directory', async () => {
    const root = await makeTempDir();
    const one = extractedAssets(embedded(FILES, '1.0.0').read, root);
    const two = extractedAssets(embedded(FILES, '2.0.0').read, root);
    expect(one.dir).not.toBe(two.dir);
  });

  it('refuses an asset that does not match its manifest (a damaged executable)', async () => {
    const { read } = embedded(FILES);
    const damaged: AssetReader = (name) => (name === 'tree-sitter.wasm' ? text('other') : read(name));
    const assets = extractedAssets(damaged, await makeTempDir());
    expect(() => assets.treeSitterCore).toThrow(/asset tree-sitter\.wasm does not match its manifest/);
  });

  it('rejects a manifest naming a path instead of a file name', async () => {
    const manifest = text(JSON.stringify({ version: '1', id: '0123456789abcdef', assets: { '../escape': sha256(text('x')) } }));
    expect(() => extractedAssets(() => manifest, '/nonexistent')).toThrow(/plain file name/);
  });
});

describe('assetCacheRoot', () => {
  const from = (vars: Record<string, string>) => (name: string) => vars[name];

  it('takes CODE_ANALYSIS_CACHE_DIR, then $XDG_CACHE_HOME/code-analysis, then ~/.cache/code-analysis', () => {
    expect(assetCacheRoot(from({ CODE_ANALYSIS_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }))).toBe('/c');
    expect(assetCacheRoot(from({ CODE_ANALYSIS_CACHE_DIR: '', XDG_CACHE_HOME: '/x' }))).toBe('/x/code-analysis');
    expect(assetCacheRoot(from({}))).toMatch(/\/\.cache\/code-analysis$/);
  });
});
