import { type Dialect, quoteLiteral } from '../sql/dialect.ts';
import type { PortableType } from '../table-schema.ts';

const COLUMN_TYPES: Record<PortableType, string> = {
  integer: 'INTEGER',
  real: 'REAL',
  text: 'TEXT',
  blob: 'BLOB',
  boolean: 'BOOLEAN',
  json: 'JSON',
  timestamp: 'TIMESTAMP',
};

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  placeholder: () => '?',
  bind: { booleans: 'integer' },
  columnType: (type) => COLUMN_TYPES[type],
  // ISO 8601 in UTC like every timestamp written through the driver, so they compare as equals.
  currentTimestamp: "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
  orderTerm: (column, direction) => `${column} ${direction}`,
  offsetNeedsLimit: true,
  literal(value) {
    if (value === null) return 'NULL';
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'number') return String(value);
    return quoteLiteral(value);
  },
};
