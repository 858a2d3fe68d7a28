/**
 * The single executable's own files. build/build.mjs embeds the better-sqlite3 addon and
 * the tree-sitter WASM files with a manifest of their SHA-256s; a process extracts them to
 * `<cache root>/<version>-<manifest hash>/`, checks each file it uses against its hash on
 * every start and rewrites it when wrong, so a truncated or corrupted cache heals itself.
 * Node only: Deno never runs as the executable.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as v from 'valibot';
import type { EmbeddedAssets } from './types.ts';

/** The asset listing every other asset's name and SHA-256. */
export const MANIFEST_ASSET = 'manifest.json';
const SQLITE_ADDON = 'better_sqlite3.node';
const TREE_SITTER_CORE = 'tree-sitter.wasm';
const ONNX_RUNTIME_WASM = 'ort-wasm-simd-threaded.wasm';
const grammarAsset = (language: string) => `tree-sitter-${language}.wasm`;

const ManifestSchema = v.object({
  version: v.string(),
  assets: v.record(v.pipe(v.string(), v.regex(/^[\w.-]+$/, 'an asset name is a plain file name')), v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
});

/** Reads one embedded asset by name (node:sea's getRawAsset, or a plain map in tests). */
export type AssetReader = (name: string) => Uint8Array;

interface SeaModule {
  isSea(): boolean;
  getRawAsset(name: string): ArrayBuffer;
}

/** The executable's assets, or null when this process is not the single executable. */
export function seaAssetReader(): AssetReader | null {
  const sea = process.getBuiltinModule?.('node:sea') as SeaModule | undefined;
  if (!sea?.isSea()) return null;
  return (name) => new Uint8Array(sea.getRawAsset(name));
}

/**
 * Where the versioned cache directories go: `CODE_ANALYSIS_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/code-analysis`, else `~/.cache/code-analysis`. Read from the environment
 * here, not from the config: the files are needed before any config is loaded.
 */
export function assetCacheRoot(env: (name: string) => string | undefined): string {
  const set = (name: string) => env(name) || undefined;
  return set('CODE_ANALYSIS_CACHE_DIR') ?? join(set('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'code-analysis');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function readOrNull(path: string): Uint8Array | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/**
 * The executable's files under `root` (see the file comment). Each one is checked, and
 * written when missing or wrong, the first time this process asks for it: a process
 * verifies only what it uses (the driver the addon, the indexer the grammars), with
 * synchronous reads because grammar paths are asked for synchronously.
 */
export function extractedAssets(read: AssetReader, root: string): EmbeddedAssets {
  const manifestBytes = read(MANIFEST_ASSET);
  const manifest = v.parse(ManifestSchema, JSON.parse(new TextDecoder().decode(manifestBytes)));
  const dir = join(root, `${manifest.version}-${sha256(manifestBytes).slice(0, 16)}`);
  const verified = new Set<string>();
  const file = (name: string): string => {
    const hash = manifest.assets[name];
    if (!hash) throw new Error(`the executable carries no ${name}`);
    const path = join(dir, name);
    if (verified.has(name)) return path;
    const cached = readOrNull(path);
    if (!cached || sha256(cached) !== hash) {
      const bytes = read(name);
      if (sha256(bytes) !== hash) throw new Error(`the executable is damaged: its asset ${name} does not match its manifest`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Several processes may start at once: each writes its own temp file, the renames all land the same bytes.
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, bytes, { mode: 0o644 });
      renameSync(temp, path);
    }
    verified.add(name);
    return path;
  };
  let addon: object | undefined;
  return {
    dir,
    get treeSitterCore() {
      return file(TREE_SITTER_CORE);
    },
    grammar: (language) => file(grammarAsset(language)),
    get onnxRuntimeWasm() {
      return file(ONNX_RUNTIME_WASM);
    },
    sqliteAddon() {
      if (!addon) {
        // `require` inside a single executable loads built-in modules only.
        const module = { exports: {} };
        process.dlopen(module, file(SQLITE_ADDON));
        addon = module.exports;
      }
      return addon;
    },
  };
}
