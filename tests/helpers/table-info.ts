import type { TableInfo } from '../../src/driver/catalog.ts';
import type { PortableType } from '../../src/driver/table-schema.ts';
import type { ColumnInfo } from '../../src/driver/values.ts';

/** A ColumnInfo built by hand, as the catalog would describe a column of that type. */
export function columnInfo(name: string, type: PortableType | null, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name, type, declaredType: type?.toUpperCase() ?? '', notNull: false, primaryKey: false, defaultValue: null, ...extra };
}

/** A TableInfo built by hand: columns in the given order. */
export function tableInfo(name: string, columns: Array<[string, PortableType | null] | ColumnInfo>): TableInfo {
  const map = new Map<string, ColumnInfo>();
  for (const entry of columns) {
    const column = Array.isArray(entry) ? columnInfo(entry[0], entry[1]) : entry;
    map.set(column.name, column);
  }
  return { name, columns: map };
}
