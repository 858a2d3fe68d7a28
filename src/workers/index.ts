export { runWorker, type WorkerLaunchOptions } from './launcher.ts';
export { WORKER_KINDS } from './registry.ts';
export type { RunningWorker, WorkerContext, WorkerDefinition } from './types.ts';
