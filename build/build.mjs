#!/usr/bin/env node
// `npm run build`: one CJS bundle of src/main.ts (esbuild), then one executable packed by
// @yao-pkg/pkg in its SEA mode with this machine's own node — nothing is downloaded. The
// result is checked by running it: a plain `node` copy (a failed injection) fails the build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { buildNative } from './native.mjs';
import { ASSET_SOURCES, BUNDLE, EXECUTABLE, MANIFEST_ASSET, NATIVE_LIBRARY, OUT_DIR, REPO_ROOT, SQLITE_VEC, THREAD_BUNDLES } from './paths.mjs';

const require = createRequire(import.meta.url);
const started = Date.now();
const step = (text) => console.log(`build: ${text} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
const fail = (text) => {
  console.error(`build FAILED: ${text}`);
  process.exit(1);
};

await rm(OUT_DIR, { recursive: true, force: true });
await mkdir(OUT_DIR, { recursive: true });

// 1. The bundle. src/main.ts awaits at its top level, which CJS cannot: its body is wrapped
// in an async function on load. `import.meta.url` becomes the bundle's own file URL.
const mainTs = resolve(REPO_ROOT, 'src/main.ts');
const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  define: { 'import.meta.url': '__import_meta_url' },
  // Every import() becomes a require(): a single executable with a code cache (below) has
  // no dynamic import callback on Node 20 ("A dynamic import callback was not specified").
  supported: { 'dynamic-import': false },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};
// web-tree-sitter's ESM build loads node:module with import() into a function that
// declares its own `var require`, which a require() in its place would find undefined;
// its CJS build is the same code with plain require() calls. The parse threads need it too.
const WEB_TREE_SITTER_CJS = {
  name: 'web-tree-sitter-cjs',
  setup(context) {
    context.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};
// better-sqlite3 finds its addon through `bindings`, which searches from the caller's file;
// from a bundle it loads the copy next to the bundle (the executable passes its extracted
// addon as `nativeBinding` and never gets here). The SQLite threads need it too.
const ADDON_NEXT_TO_BUNDLE = {
  name: 'addon-next-to-bundle',
  setup(context) {
    context.onResolve({ filter: /^bindings$/ }, () => ({ path: 'bindings', namespace: 'addon-next-to-bundle' }));
    context.onLoad({ filter: /.*/, namespace: 'addon-next-to-bundle' }, () => ({
      loader: 'js',
      contents: "module.exports = (name) => require(require('node:path').join(__dirname, name));",
    }));
  },
};
// onnxruntime-web's Node build imports its Emscripten glue (ort-wasm-simd-threaded.mjs) from a
// file beside itself at run time, which a single executable cannot; its WASM-only bundle has
// the glue inside. The WASM binary itself is an embedded asset (src/embeddings/onnx/).
const ONNX_RUNTIME_BUNDLED = {
  name: 'onnx-runtime-bundled',
  setup(context) {
    context.onResolve({ filter: /^onnxruntime-web$/ }, () => ({ path: join(REPO_ROOT, 'node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs') }));
  },
};
const result = await build({
  ...COMMON,
  entryPoints: [mainTs],
  outfile: BUNDLE,
  plugins: [
    {
      name: 'main-without-top-level-await',
      setup(context) {
        context.onLoad({ filter: /[\\/]src[\\/]main\.ts$/ }, async (args) => {
          const lines = (await readFile(args.path, 'utf8')).split('\n');
          const imports = lines.filter((line) => line.startsWith('import '));
          const body = lines.filter((line) => !line.startsWith('import '));
          return { loader: 'ts', contents: `${imports.join('\n')}\nvoid (async () => {\n${body.join('\n')}\n})();\n` };
        });
      },
    },
    WEB_TREE_SITTER_CJS,
    ADDON_NEXT_TO_BUNDLE,
    ONNX_RUNTIME_BUNDLED,
  ],
});
if (result.errors.length) fail('esbuild reported errors');
step(`bundled ${basename(BUNDLE)} (${((await stat(BUNDLE)).size / 1e6).toFixed(1)} MB)`);
// The native SQLite extension that ends statements at their deadline, beside the bundle
// (the bundle loads it from there; the executable extracts its embedded copy).
await copyFile(buildNative(), join(OUT_DIR, basename(NATIVE_LIBRARY)));
// sqlite-vec, which every SQLite connection loads (vector_search), likewise.
await copyFile(SQLITE_VEC, join(OUT_DIR, basename(SQLITE_VEC)));

// 1b. Thread modules, each a bundle of its own next to the main one (node runs them from
// there; the executable extracts its embedded copy). They have no top-level await.
const threadBundles = [];
for (const [source, name] of Object.entries(THREAD_BUNDLES)) {
  const outfile = join(OUT_DIR, name);
  const thread = await build({ ...COMMON, entryPoints: [resolve(REPO_ROOT, source)], outfile, plugins: [WEB_TREE_SITTER_CJS, ADDON_NEXT_TO_BUNDLE] });
  if (thread.errors.length) fail(`esbuild reported errors in ${source}`);
  threadBundles.push(outfile);
  step(`bundled ${name} (${((await stat(outfile)).size / 1e6).toFixed(1)} MB)`);
}

// 2. The assets and their manifest: names and SHA-256s the executable verifies its cache against.
const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8'));
const manifest = { version: pkg.version, assets: {} };
const assets = {};
for (const source of [...ASSET_SOURCES, ...threadBundles, NATIVE_LIBRARY, SQLITE_VEC]) {
  const name = basename(source);
  manifest.assets[name] = createHash('sha256').update(await readFile(source)).digest('hex');
  assets[name] = source;
}
// The id names this set of files (the cache directory's suffix), so a process need not hash anything to find it.
manifest.id = createHash('sha256').update(JSON.stringify(manifest.assets)).digest('hex').slice(0, 16);
const manifestFile = join(OUT_DIR, MANIFEST_ASSET);
await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
assets[MANIFEST_ASSET] = manifestFile;
await copyFile(assets['better_sqlite3.node'], join(OUT_DIR, 'better_sqlite3.node'));

// 3. The executable. pkg runs `npx postject` from a temp folder: without npm_config_yes npx
// cancels silently; with TMPDIR inside the repo, npx finds a locally installed postject.
process.env.npm_config_yes = 'true';
process.env.TMPDIR = join(OUT_DIR, 'tmp');
await mkdir(process.env.TMPDIR, { recursive: true });
const sea = require('@yao-pkg/pkg/lib-es5/sea').default;
await sea(BUNDLE, {
  targets: [{ nodeRange: `node${process.versions.node.split('.')[0]}`, platform: process.platform, arch: process.arch, output: EXECUTABLE }],
  useLocalNode: true,
  // V8 code cache of the bundle made at build time: each start skips compiling it.
  seaConfig: { assets, useCodeCache: true },
});
await rm(process.env.TMPDIR, { recursive: true, force: true });
step(`packed ${basename(EXECUTABLE)} (${((await stat(EXECUTABLE).catch(() => ({ size: 0 }))).size / 1e6).toFixed(1)} MB)`);

// 4. Proof: it runs and knows it is a single executable (a plain node copy would not).
const check = spawnSync(EXECUTABLE, ['--version'], { encoding: 'utf8', env: { PATH: '', HOME: OUT_DIR, CODE_ANALYSIS_CACHE_DIR: join(OUT_DIR, 'cache') } });
const expected = `code-analysis ${pkg.version} (node ${process.versions.node}, single executable)`;
if (check.status !== 0 || check.stdout.trim() !== expected) {
  fail(`${EXECUTABLE} --version printed ${JSON.stringify(check.stdout.trim())} (exit ${check.status}) instead of ${JSON.stringify(expected)}\n${check.stderr}`);
}
await rm(join(OUT_DIR, 'cache'), { recursive: true, force: true });
step(`verified: ${check.stdout.trim()}`);
