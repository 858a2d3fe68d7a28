export { requireColumn, requireTable, type TableCatalog, type TableInfo } from './catalog.ts';
export { isGroupable, type MethodAccess, type MethodName, type MethodSpec, METHODS, methodSpec, RETRYABLE_METHODS } from './methods.ts';
export { META_TABLE } from './meta-table.ts';
export { ProtectedTables } from './protection.ts';
export { guardExecute } from './sql/execute-guard.ts';
export { isReadOnlyStatement, splitStatements } from './sql/statement-kind.ts';
export * as params from './params.ts';
export { PostgresDriver } from './postgres/postgres-driver.ts';
export type { PostgresDriverOptions } from './postgres/postgres-connect.ts';
export { defaultPidFile, type DriverProcessOptions, isPostgresUrl, runDriverProcess } from './process/driver-process.ts';
export { DriverService, type DriverServiceOptions } from './process/driver-service.ts';
export { SqliteDriver, type SqliteDriverOptions, type SynchronousMode } from './sqlite/sqlite-driver.ts';
export type { SqliteEngine } from './sqlite/engine.ts';
export {
  type ColumnDefinition,
  type IndexDefinition,
  PORTABLE_TYPES,
  type PortableType,
  type SchemaDefinition,
  SchemaDefinitionSchema,
  type TableDefinition,
  TableDefinitionSchema,
  toPortableType,
} from './table-schema.ts';
export type {
  BackupLocation,
  BackupResult,
  CheckpointResult,
  ColumnDescription,
  Driver,
  DriverCapabilities,
  ExecuteResult,
  Execution,
  GroupableOperation,
  Row,
  RowId,
  SyncReport,
} from './types.ts';
export { type ColumnInfo, fromDatabase, parseTimestamp, toDatabase } from './values.ts';
export { cosineDistanceInt8, dequantizeInt8, MAX_VECTOR_DIMENSION, normalized, quantizeInt8 } from './vector-codec.ts';
