import type { SchemaDefinitionInput } from './database-client.ts';

/**
 * The code-analysis tables (DESIGN §9), synced by the UniversalDriver before any worker
 * starts. Deleting a project or a file removes what hangs off it (ON DELETE CASCADE), so
 * a file's symbols and references never outlive it.
 *
 * Version 2 stores no syntax trees (a tree is parsed again on demand, see
 * src/analysis/syntax-tree-reader.ts) and adds the references: one row per file, its
 * identifier uses packed (src/db/reference-packing.ts). `files.symbol_count` is what the
 * index checks itself against at start (src/db/code-repair.ts); `files.path_rank` orders
 * search results.
 *
 * Version 3 adds semantic search (README "Semantic search"): `embedding_models` (per
 * project and provider, the model its vectors were made with: the fitted builtin model's
 * bytes, its id, progress counts) and `symbol_vectors` (one row per embedded definition:
 * the vector as int8 components, src/driver/vector-codec.ts). A vector hangs off its
 * symbol with ON DELETE CASCADE, so a re-indexed or deleted file's vectors go in the same
 * transaction as its symbols: no orphans, nothing to rebuild. `empty_vectors` records the
 * definitions the model found nothing in (a zero vector is stored as no vector at all), so
 * they are not embedded again until the model changes. `symbol_terms` holds what semantic
 * search's full-text list matches (sub-words and stems of a definition's text, by field),
 * written with its vector, gone with its symbol.
 *
 * Every table is protected (TEAM decision 3): only the server's own connections (hello with
 * role "owner": the workers, the one-shot commands, serve's own) may change them.
 */
export const SCHEMA_VERSION = '3';

/** Tables of earlier versions that sync_schema does not know any more (and issue 10's interim references), dropped after the sync. */
export const RETIRED_TABLES = ['syntax_trees', 'refs'];

export const CODE_SCHEMA: SchemaDefinitionInput = {
  version: SCHEMA_VERSION,
  tables: [
    {
      name: 'projects',
      protected: true,
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
      protected: true,
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
        // How many symbol rows the file was stored with: a file whose rows went missing is indexed again.
        { name: 'symbol_count', type: 'integer', not_null: true, default: 0 },
        // How close to the project's main code (0 src/ or lib/, 1 elsewhere, 2 tests, examples, docs): see src/db/path-rank.ts.
        { name: 'path_rank', type: 'integer', not_null: true, default: 1 },
      ],
      indexes: [{ name: 'files_project_path', columns: ['project_id', 'path'], unique: true }],
    },
    {
      name: 'symbols',
      protected: true,
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
      // One row per file (every stored file has one): the distinct names it uses, one a
      // line, and where it uses each, packed. Found by name through a search index over
      // `names` (src/db/code-dialect.ts).
      name: 'file_references',
      protected: true,
      columns: [
        { name: 'file_id', type: 'integer', primary_key: true, references: { table: 'files', column: 'id', on_delete: 'cascade' } },
        { name: 'names', type: 'text', not_null: true },
        { name: 'positions', type: 'blob', not_null: true },
      ],
    },
    {
      name: 'embedding_models',
      protected: true,
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'project_id', type: 'integer', not_null: true, references: { table: 'projects', column: 'id', on_delete: 'cascade' } },
        // `builtin`, `http` or `onnx`: a project has one model per provider (the config chooses which one searches).
        { name: 'provider', type: 'text', not_null: true },
        // EmbeddingProvider.modelId: vectors of another id are stale.
        { name: 'model_id', type: 'text', not_null: true },
        { name: 'dimension', type: 'integer', not_null: true },
        // builtin: the fitted model (src/embeddings/builtin/model-codec.ts); null for http and onnx.
        { name: 'state', type: 'blob' },
        // builtin: files it was fitted on, and files changed since (refit-policy.ts).
        { name: 'fitted_files', type: 'integer', not_null: true, default: 0 },
        { name: 'changed_files', type: 'integer', not_null: true, default: 0 },
        { name: 'fitted_at', type: 'timestamp', not_null: true },
        // When the vectorizer last had nothing left to embed in the project (null: not yet with this model).
        { name: 'caught_up_at', type: 'timestamp' },
      ],
      indexes: [{ name: 'embedding_models_project_provider', columns: ['project_id', 'provider'], unique: true }],
    },
    {
      name: 'symbol_vectors',
      protected: true,
      columns: [
        { name: 'symbol_id', type: 'integer', primary_key: true, references: { table: 'symbols', column: 'id', on_delete: 'cascade' } },
        // Copies of the symbol's, so a vector search filters without a join.
        { name: 'project_id', type: 'integer', not_null: true },
        { name: 'kind', type: 'text', not_null: true },
        { name: 'model_id', type: 'text', not_null: true },
        // SHA-256 (hex, 32 digits) of the text embedded (src/embeddings/symbol-text.ts).
        { name: 'text_hash', type: 'text', not_null: true },
        // int8 components, one byte per dimension (quantizeInt8).
        { name: 'vector', type: 'blob', not_null: true },
      ],
      indexes: [{ name: 'symbol_vectors_project_model', columns: ['project_id', 'model_id', 'kind'] }],
    },
    {
      name: 'empty_vectors',
      protected: true,
      columns: [
        { name: 'symbol_id', type: 'integer', primary_key: true, references: { table: 'symbols', column: 'id', on_delete: 'cascade' } },
        { name: 'project_id', type: 'integer', not_null: true },
        { name: 'model_id', type: 'text', not_null: true },
        { name: 'text_hash', type: 'text', not_null: true },
      ],
      indexes: [{ name: 'empty_vectors_project_model', columns: ['project_id', 'model_id'] }],
    },
    {
      // Full-text terms of an embedded definition (src/embeddings/full-text-terms.ts), indexed by
      // symbol_terms_fts (SQLite, kept in step by triggers) or a GIN index (PostgreSQL).
      name: 'symbol_terms',
      protected: true,
      columns: [
        { name: 'symbol_id', type: 'integer', primary_key: true, references: { table: 'symbols', column: 'id', on_delete: 'cascade' } },
        { name: 'project_id', type: 'integer', not_null: true },
        { name: 'title', type: 'text', not_null: true },
        { name: 'signature', type: 'text', not_null: true },
        { name: 'docstring', type: 'text', not_null: true },
        { name: 'rest', type: 'text', not_null: true },
      ],
      indexes: [{ name: 'symbol_terms_project', columns: ['project_id'] }],
    },
  ],
};
