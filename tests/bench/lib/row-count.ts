import type { DatabaseClient } from '../../../src/db/database-client.ts';

/**
 * Fail the bench when a load did not land every row: a fast run that silently lost
 * writes would be a meaningless figure.
 */
export async function expectRowCount(client: DatabaseClient, table: string, expected: number): Promise<void> {
  const result = await client.execute(`SELECT COUNT(*) AS n FROM "${table}"`);
  const actual = Number(result.data?.[0]?.n);
  if (actual !== expected) throw new Error(`${table} holds ${actual} rows, expected ${expected}`);
}
