import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../src/db/connect.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { startServe } from '../../helpers/serve.ts';

/** A JSON array nested `depth` levels deep, as text (JSON.stringify would overflow on the deep ones). */
const nestedText = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const DOCS = {
  name: 'docs',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'doc', type: 'json' },
  ],
};

// Issue 14, case 1: one stored value used to crash the driver on every read, and the
// client's retries crashed every restarted one.
describe('a value nested too deep to send, over the real serve and driver', () => {
  it('answers an error on every read (socket and HTTP) and never takes the driver down; deep values are refused on the way in', async () => {
    const serve = await startServe();
    const db = connectDatabase(nodeRuntime, { socketPath: serve.paths.socket, timeoutMs: 10_000 });
    deferCleanup(() => db.close());
    const driverBefore = await serve.service('driver');
    await db.createTable(DOCS);
    await db.insert('docs', { id: 1, doc: { fine: true } });
    // Raw SQL stores it as text, past the limit the typed methods apply.
    expect(await db.execute('INSERT INTO docs (id, doc) VALUES (2, ?)', [nestedText(10_000)])).toMatchObject({ affected_rows: 1 });

    for (let attempt = 0; attempt < 3; attempt++) {
      const overHttp = await serve.rpc('select', { table_name: 'docs' });
      expect(overHttp.error?.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(overHttp.error?.message).toMatch(/column "doc" holds JSON nested deeper than 1000 levels/);
      const overSocket = await rejectionOf(db.select('docs', { where: { id: 2 } }));
      expect(overSocket.code).toBe(ErrorCode.VALIDATION_ERROR);
    }

    // On the way in, the limit applies before anything is stored, naming the field.
    const deepInsert = await rejectionOf(db.insert('docs', { id: 3, doc: JSON.parse(nestedText(1_500)) as unknown[] }));
    expect(deepInsert.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(deepInsert.message).toMatch(/^params\.data\.doc(\[0\])+…?: nested deeper than 1000 levels/);
    const deepOverHttp = await serve.rpc('insert', { table_name: 'docs', data: { id: 3, doc: JSON.parse(nestedText(1_500)) as unknown[] } });
    expect(deepOverHttp.error?.code).toBe(ErrorCode.VALIDATION_ERROR);

    // Everything acknowledged is still there, the stored text can still be read as text,
    // and it is the same driver process that answers.
    expect((await db.select('docs', { where: { id: 1 } })).data).toEqual([{ id: 1, doc: { fine: true } }]);
    expect((await db.execute('SELECT id, length(doc) AS chars FROM docs ORDER BY id')).data).toEqual([
      { id: 1, chars: 13 },
      { id: 2, chars: 20_000 },
    ]);
    expect((await serve.get('/health')).status).toBe(200);
    const driverAfter = await serve.service('driver');
    expect(driverAfter.pid).toBe(driverBefore.pid);
    expect(driverAfter.restarts).toBe(0);
  });
});
