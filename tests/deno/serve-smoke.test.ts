/// <reference lib="deno.ns" />
import { denoRuntime } from '../../src/runtime/deno.ts';
import { serveSmokeSpec } from '../shared/serve-smoke.ts';

// serve under Deno the way the program starts itself: its driver and worker run under
// Deno too (runtime.selfCommand), on node:sqlite.
Deno.test({
  name: 'serve under Deno starts, answers /health and /rpc, survives kill -9 of its driver, and stops cleanly',
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => serveSmokeSpec(denoRuntime, denoRuntime.selfCommand()),
});
