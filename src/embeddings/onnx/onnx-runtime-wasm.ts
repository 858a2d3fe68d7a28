import { fileURLToPath } from 'node:url';
import { embeddedAssets } from '../../runtime/index.ts';

/** The WASM build of ONNX Runtime the provider runs on (single-threaded, SIMD). */
export const ONNX_RUNTIME_WASM = 'ort-wasm-simd-threaded.wasm';

/**
 * Where that file is: extracted from the single executable when it is one (it must embed
 * it), else in the checkout's node_modules, relative to this source file (as the grammars).
 */
export function defaultOnnxRuntimeWasm(): string {
  const embedded = embeddedAssets();
  if (embedded) return embedded.onnxRuntimeWasm;
  return fileURLToPath(new URL(`../../../node_modules/onnxruntime-web/dist/${ONNX_RUNTIME_WASM}`, import.meta.url));
}
