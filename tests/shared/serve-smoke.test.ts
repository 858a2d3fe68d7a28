import { it } from 'vitest';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { cliCommand } from '../helpers/serve.ts';
import { serveSmokeSpec } from './serve-smoke.ts';

it('the shared serve spec (start, /health, /rpc, crash restart, stop) passes under Node', async () => {
  await serveSmokeSpec(nodeRuntime, cliCommand('node'));
});
