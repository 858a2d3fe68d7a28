/**
 * The single executable's own files. build/build.mjs embeds the better-sqlite3 addon and
 * the tree-sitter WASM files with a manifest of their SHA-256s; a process extracts them to
 * `<cache root>/<version>-<manifest id>/` and checks each file it uses before using it,
 * rewriting it when wrong, so a truncated or corrupted cache heals itself.
 *
 * Hashing megabytes on every start would cost each driver and indexer start milliseconds,
 * so a file verified by its hash gets a stamp beside it (`<name>.verified`): the hash and
 * the file's size, inode, mtime and ctime. While all of these match, the file is trusted
 * without reading it; any write, truncation, replacement or `touch` changes the ctime,
 * which no one can set back, and then the file is hashed again. A stamp not strictly newer
 * than the file's ctime is not trusted (timestamps are coarse: a write within the same tick
 * would go unseen), as git does for its racily clean index entries. The stamp guards
 * against accidents, not against someone who can write the cache: that user can already
 * run anything as the server's own user.
 * Node only: Deno never runs as the executable.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, type BigIntStats, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import * as v from 'valibot';
import type { EmbeddedAssets } from './types.ts';

/** The asset listing every other asset's name and SHA-256. */
export const MANIFEST_ASSET = 'manifest.json';
/** What follows an asset's name in the name of its stamp. */
export const STAMP_SUFFIX = '.verified';
const SQLITE_ADDON = 'better_sqlite3.node';
const TREE_SITTER_CORE = 'tree-sitter.wasm';
const ONNX_RUNTIME_WASM = 'ort-wasm-simd-threaded.wasm';
const grammarAsset = (language: string) => `tree-sitter-${language}.wasm`;

const Sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits'));
const ManifestSchema = v.object({
  version: v.string(),
  /** Names this build's set of files (from their hashes): the cache directory's suffix. */
  id: v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/, 'a manifest id is 16 lowercase hex digits')),
  assets: v.record(v.pipe(v.string(), v.regex(/^[\w.-]+$/, 'an asset name is a plain file name')), Sha256),
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

/** node:crypto is loaded only when something must be hashed: most starts hash nothing. */
function sha256(bytes: Uint8Array): string {
  const crypto = process.getBuiltinModule?.('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

const statOf = (path: string): BigIntStats | undefined => statSync(path, { bigint: true, throwIfNoEntry: false });

/** What changes whenever a file's bytes may have changed. */
const fingerprint = (file: BigIntStats) => `${file.size} ${file.ino} ${file.mtimeNs} ${file.ctimeNs}`;
/** What a stamp says: the hash the file was checked against, and the file as it was then. */
const stampText = (hash: string, file: BigIntStats) => `${hash} ${fingerprint(file)}\n`;

function readOrNull(path: string): Uint8Array | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/** Several processes may start at once: each writes its own temp file, and the renames all land whole files. */
function writeAtomic(path: string, bytes: Uint8Array | string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, bytes, { mode: 0o644 });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The stamp vouches for the file: same hash, same file, and written after the file last changed. */
function stampHolds(path: string, hash: string): boolean {
  const file = statOf(path);
  const stamp = statOf(path + STAMP_SUFFIX);
  if (!file || !stamp || stamp.mtimeNs <= file.ctimeNs) return false;
  return readOrNull(path + STAMP_SUFFIX)?.toString() === stampText(hash, file);
}

/**
 * Make `path` hold the asset whose SHA-256 is `hash` and stamp it: keep the file when its
 * bytes are right, else write it from the executable.
 */
function verifyAndStamp(path: string, hash: string, read: () => Uint8Array, name: string): void {
  const before = statOf(path);
  const cached = before && readOrNull(path);
  let stampFor: BigIntStats | undefined;
  if (cached && sha256(cached) === hash) {
    // Stamp only the file we read: one replaced meanwhile gets hashed on the next start.
    const after = statOf(path);
    if (after && fingerprint(after) === fingerprint(before)) stampFor = after;
  } else {
    const bytes = read();
    if (sha256(bytes) !== hash) throw new Error(`the executable is damaged: its asset ${name} does not match its manifest`);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeAtomic(path, bytes);
    stampFor = statOf(path);
  }
  try {
    if (stampFor) writeAtomic(path + STAMP_SUFFIX, stampText(hash, stampFor));
  } catch {
    // The file is right; without its stamp (a read-only cache) it is only hashed again next time.
  }
}

/**
 * The executable's files under `root` (see the file comment). Each one is checked, and
 * written when missing or wrong, the first time this process asks for it: a process
 * verifies only what it uses (the driver the addon, the indexer the grammars), with
 * synchronous calls because grammar paths are asked for synchronously.
 */
export function extractedAssets(read: AssetReader, root: string): EmbeddedAssets {
  const manifest = v.parse(ManifestSchema, JSON.parse(new TextDecoder().decode(read(MANIFEST_ASSET))));
  const dir = join(root, `${manifest.version}-${manifest.id}`);
  const verified = new Set<string>();
  const file = (name: string): string => {
    const hash = manifest.assets[name];
    if (!hash) throw new Error(`the executable carries no ${name}`);
    const path = join(dir, name);
    if (verified.has(name)) return path;
    if (!stampHolds(path, hash)) verifyAndStamp(path, hash, () => read(name), name);
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
    file,
    threadBundle: (name) => file(name),
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
