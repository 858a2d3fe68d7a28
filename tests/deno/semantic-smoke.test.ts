/// <reference lib="deno.ns" />
import { fileURLToPath } from 'node:url';
import { denoRuntime } from '../../src/runtime/deno.ts';
import { semanticSmokeSpec } from '../shared/semantic-smoke.ts';

// The one-shot commands under Deno: their transient driver runs on node:sqlite with sqlite-vec.
Deno.test({
  name: 'semantic search under Deno: index, search --semantic before and after embed',
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => semanticSmokeSpec(denoRuntime, denoRuntime.selfCommand(), fileURLToPath(new URL('../../test_data/projects/semantic-sample', import.meta.url))),
});
