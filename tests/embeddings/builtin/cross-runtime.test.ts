import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fitBuiltinModel, fittingDocuments } from '../../../src/embeddings/builtin/builtin-model.ts';
import { TOPICAL_FILES } from '../../helpers/embedding-corpus.ts';
import { DENO, REPO_ROOT } from '../../helpers/paths.ts';

// Every process must embed alike: the same corpus fitted under Deno gives the same bytes
// (hence the same model id) as under Node.
it('fits the same model, byte for byte, under Node and Deno', async () => {
  const model = await fitBuiltinModel(fittingDocuments(TOPICAL_FILES), { dimensions: 4 });
  const url = (path: string) => pathToFileURL(join(REPO_ROOT, path)).href;
  const script = [
    `import { fitBuiltinModel, fittingDocuments } from '${url('src/embeddings/builtin/builtin-model.ts')}';`,
    `import { TOPICAL_FILES } from '${url('tests/helpers/embedding-corpus.ts')}';`,
    'console.log((await fitBuiltinModel(fittingDocuments(TOPICAL_FILES), { dimensions: 4 })).id);',
  ].join('\n');
  const deno = spawnSync(DENO, ['eval', '--config', join(REPO_ROOT, 'deno.json'), script], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(deno.stderr).toBe('');
  expect(deno.stdout.trim()).toBe(model.id);
});
