import { describe, expect, it } from 'vitest';
import { ExecuteParams, VectorSearchParams } from '../../../src/driver/params.ts';
import { quantizeInt8 } from '../../../src/driver/vector-codec.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { validate } from '../../../src/ipc/validate.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { openSqliteDriver } from '../../helpers/sqlite-driver.ts';

const hex = (vector: number[]) => Buffer.from(quantizeInt8(vector)).toString('hex');

// The SQLite ranking on connections of this thread (the process suites run it on reader
// threads): sqlite-vec's distances, the where, ties, a zero vector, and the misfits.
describe('vector_search on SQLite (sqlite-vec)', () => {
  it('ranks by vec_distance_cosine, a zero vector at distance 1, ties by rowid where there is no key', async () => {
    const { driver } = await openSqliteDriver();
    const execute = (sql: string) => driver.execute(validate(ExecuteParams, { sql }));
    await execute('CREATE TABLE v (name TEXT, tag TEXT, e BLOB)');
    await execute(
      `INSERT INTO v VALUES ('east2', 'x', x'${hex([1, 0])}'), ('east1', 'x', x'${hex([1, 0])}'), ('zero', 'x', x'${hex([0, 0])}'), ` +
        `('north', 'x', x'${hex([0, 1])}'), ('west', 'y', x'${hex([-1, 0])}'), ('none', 'x', NULL)`,
    );
    const search = (params: Record<string, unknown>) => driver.vectorSearch(validate(VectorSearchParams, { table: 'v', column: 'e', limit: 10, ...params }));
    const { data } = await search({ vector: [2, 0], columns: ['name'] });
    expect(data.map((row) => [row.name, Math.round((row.distance as number) * 100) / 100])).toEqual([
      ['east2', 0],
      ['east1', 0],
      ['zero', 1],
      ['north', 1],
      ['west', 2],
    ]);
    const tagged = await search({ vector: [-1, 0.1], where: { tag: 'x' }, limit: 1, columns: ['name', 'tag'] });
    expect(tagged.data).toEqual([{ name: 'north', tag: 'x', distance: expect.any(Number) }]);

    await execute(`INSERT INTO v VALUES ('short', 'y', x'7f'), ('number', 'z', 12)`);
    for (const [tag, held] of [
      ['y', '1 bytes long'],
      ['z', 'a integer value, not a blob'],
    ]) {
      const error = await rejectionOf(search({ vector: [1, 0], where: { tag } }));
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toBe(`table "v" column "e": a stored vector is ${held}, where the query vector has 2 dimensions (one byte each)`);
    }
  });
});
