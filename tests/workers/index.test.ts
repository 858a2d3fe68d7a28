import { expect, it } from 'vitest';
import * as workers from '../../src/workers/index.ts';
import { runWorker } from '../../src/workers/launcher.ts';

it('src/workers/index.ts exports the launcher and the worker kinds', () => {
  expect(workers.runWorker).toBe(runWorker);
  expect(Object.keys(workers.WORKER_KINDS)).toEqual(['maintenance', 'indexer', 'vectorizer']);
});
