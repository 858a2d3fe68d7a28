// Where the build puts things, shared by build.mjs, smoke.mjs, measure.mjs and tests/build/.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(REPO_ROOT, 'build/out');
/** The bundle `node` can run too (measure.mjs compares the two). */
export const BUNDLE = join(OUT_DIR, 'code-analysis.cjs');
export const EXECUTABLE = join(OUT_DIR, `code-analysis-${process.platform}-${process.arch}`);

/**
 * Modules that run in threads of their own (src/runtime: ThreadEntry), each bundled on its
 * own next to the main bundle and embedded in the executable: source → bundle file name.
 */
export const THREAD_BUNDLES = { 'src/analysis/parse-worker.ts': 'parse-worker.cjs', 'src/driver/sqlite/sqlite-thread.ts': 'sqlite-thread.cjs' };

/** The asset listing their names and SHA-256s (src/runtime/embedded-assets.ts reads it). */
export const MANIFEST_ASSET = 'manifest.json';
/** Embedded files; each is stored under its file name, which the runtime expects. */
export const ASSET_SOURCES = [
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/web-tree-sitter/tree-sitter.wasm',
  ...['python', 'typescript', 'tsx', 'javascript'].map((language) => `node_modules/tree-sitter-wasms/out/tree-sitter-${language}.wasm`),
  // ONNX Runtime's WASM build, for the onnx embedding provider (src/embeddings/onnx/onnx-runtime-wasm.ts); extracted on first use.
  'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
].map((path) => join(REPO_ROOT, path));

/**
 * The SQLite extension that stops statements at their deadline (build/native.mjs), built
 * beside its source for the sources to load; the build copies it beside the bundle and
 * embeds it in the executable. Not in build/out/, which every build empties.
 */
export const NATIVE_LIBRARY = join(REPO_ROOT, `build/native/sqlite-deadline${process.platform === 'darwin' ? '.dylib' : '.so'}`);

/**
 * sqlite-vec's loadable extension (vec_distance_cosine for vector_search), from its npm
 * package for this platform, as src/runtime/native-library-files.ts names it; the build
 * copies it beside the bundle and embeds it in the executable.
 */
const SQLITE_VEC_SUFFIX = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';
const SQLITE_VEC_PACKAGE = `sqlite-vec-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
export const SQLITE_VEC = createRequire(import.meta.url).resolve(`${SQLITE_VEC_PACKAGE}/vec0.${SQLITE_VEC_SUFFIX}`);
