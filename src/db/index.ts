export { connectDatabase } from './connect.ts';
export {
  type BatchOperation,
  DatabaseClient,
  type DatabaseTransport,
  type PingResult,
  type SelectOptions,
  type SyncSchemaOptions,
  type TableDefinitionInput,
  type VectorSearchOptions,
  type Where,
} from './database-client.ts';
