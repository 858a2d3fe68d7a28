import { it } from 'vitest';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { cliCommand } from '../helpers/serve.ts';
import { SEMANTIC_SAMPLE } from '../helpers/semantic-project.ts';
import { semanticSmokeSpec } from './semantic-smoke.ts';

it('the shared semantic spec (index, search --semantic before and after embed) passes under Node', async () => {
  await semanticSmokeSpec(nodeRuntime, cliCommand('node'), SEMANTIC_SAMPLE);
});
