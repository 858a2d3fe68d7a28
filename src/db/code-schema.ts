import { REFERENCES_TABLE } from './code-references.ts';
import type { SchemaDefinitionInput } from './database-client.ts';

/**
 * The code-analysis tables (DESIGN §9), synced by the UniversalDriver before any worker
 * starts. Deleting a project or a file removes what hangs off it (ON DELETE CASCADE), so
 * a file's symbols and tree never outlive it.
 */
export const SCHEMA_VERSION = '1';

export const CODE_SCHEMA: SchemaDefinitionInput = {
  version: SCHEMA_VERSION,
  tables: [
    {
      name: 'projects',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'root', type: 'text', not_null: true, unique: true },
        { name: 'name', type: 'text', not_null: true },
        { name: 'created_at', type: 'timestamp', not_null: true, default: 'CURRENT_TIMESTAMP' },
        { name: 'last_scan_at', type: 'timestamp' },
      ],
    },
    {
      name: 'files',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'project_id', type: 'integer', not_null: true, references: { table: 'projects', column: 'id', on_delete: 'cascade' } },
        // Relative to the project root, with '/' separators.
        { name: 'path', type: 'text', not_null: true },
        { name: 'language', type: 'text', not_null: true },
        { name: 'size', type: 'integer', not_null: true },
        { name: 'mtime_ms', type: 'integer', not_null: true },
        // SHA-256 of the content, hex.
        { name: 'hash', type: 'text', not_null: true },
        { name: 'lines', type: 'integer', not_null: true },
        { name: 'parse_error', type: 'text' },
        { name: 'indexed_at', type: 'timestamp', not_null: true },
      ],
      indexes: [{ name: 'files_project_path', columns: ['project_id', 'path'], unique: true }],
    },
    {
      name: 'symbols',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'file_id', type: 'integer', not_null: true, references: { table: 'files', column: 'id', on_delete: 'cascade' } },
        { name: 'project_id', type: 'integer', not_null: true },
        { name: 'name', type: 'text', not_null: true },
        { name: 'kind', type: 'text', not_null: true },
        { name: 'qualified_name', type: 'text', not_null: true },
        { name: 'parent', type: 'text' },
        { name: 'line_start', type: 'integer', not_null: true },
        { name: 'line_end', type: 'integer', not_null: true },
        { name: 'signature', type: 'text' },
        { name: 'docstring', type: 'text' },
      ],
      indexes: [
        { name: 'symbols_file', columns: ['file_id'] },
        { name: 'symbols_name', columns: ['name'] },
        { name: 'symbols_project_kind', columns: ['project_id', 'kind'] },
      ],
    },
    {
      name: 'syntax_trees',
      columns: [
        { name: 'file_id', type: 'integer', primary_key: true, references: { table: 'files', column: 'id', on_delete: 'cascade' } },
        { name: 'tree', type: 'json', not_null: true },
        { name: 'truncated', type: 'boolean', not_null: true },
      ],
    },
    REFERENCES_TABLE,
  ],
};
