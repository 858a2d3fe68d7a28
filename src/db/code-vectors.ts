import { quantizeInt8 } from '../driver/vector-codec.ts';
import { encodeBlob } from '../driver/values.ts';
import type { FullTextTerms } from '../embeddings/full-text-terms.ts';
import type { CallOptions } from '../ipc/rpc-client.ts';
import type { CodeDialect } from './code-dialect.ts';
import type { SymbolKind } from './code-types.ts';
import type { DatabaseClient } from './database-client.ts';
import { blobBytes } from './reference-packing.ts';

/** Kinds worth a vector: definitions. An import only repeats a name defined elsewhere. */
export const EMBEDDED_KINDS: readonly SymbolKind[] = ['class', 'function', 'method'];

/** Vectorizing is background work: it yields to everything interactive. */
const LOW: CallOptions = { priority: 'low' };

/** Rows per upsert statement (6 parameters each). */
const UPSERT_CHUNK = 100;

/** The model a project's vectors of one provider are made with (a row of `embedding_models`). */
export interface StoredModel {
  project_id: number;
  provider: string;
  model_id: string;
  dimension: number;
  /** builtin: the fitted model's bytes; null for http and onnx. */
  state: Uint8Array | null;
  fitted_files: number;
  fitted_at: string;
  caught_up_at: string | null;
}

/** A definition without a vector of the current model, with what its text is made of. */
export interface PendingSymbol {
  id: number;
  file_id: number;
  project_id: number;
  kind: SymbolKind;
  name: string;
  qualified_name: string;
  line_start: number;
  line_end: number;
  signature: string | null;
  docstring: string | null;
  path: string;
}

/** One embedded definition, ready to store: a zero vector is recorded as empty (no vector row). */
export interface SymbolVector {
  symbol_id: number;
  text_hash: string;
  vector: Float32Array;
  /** Its full-text terms (src/embeddings/full-text-terms.ts), stored beside. */
  terms: FullTextTerms;
}

/** How far a project's definitions are embedded with one model. */
export interface VectorCounts {
  /** Definitions (classes, functions, methods) in the index. */
  symbols: number;
  /** Those with a vector of the model. */
  embedded: number;
  /** Those the model found nothing in (no vector, not embedded again until the model changes). */
  empty: number;
  /** Those still to embed. */
  pending: number;
}

const isZero = (vector: Float32Array) => vector.every((x) => x === 0);
const DEFINITION_COLUMNS =
  's.id AS id, s.file_id AS file_id, s.project_id AS project_id, s.kind AS kind, s.name AS name, s.qualified_name AS qualified_name, ' +
  's.line_start AS line_start, s.line_end AS line_end, s.signature AS signature, s.docstring AS docstring, f.path AS path';
const kindList = EMBEDDED_KINDS.map((kind) => `'${kind}'`).join(', ');

/**
 * The stored side of semantic search (schema v3, src/db/code-schema.ts): each project's
 * model per provider, the definitions still to embed, their vectors. The vectors
 * themselves are searched with the driver's `vector_search` (src/analysis/semantic-search.ts).
 */
export class CodeVectors {
  constructor(
    readonly db: DatabaseClient,
    private readonly dialect: CodeDialect,
  ) {}

  /** The project's model of a provider, without its state (a builtin model is megabytes: read it with modelState, once per model id). */
  async model(projectId: number, provider: string): Promise<Omit<StoredModel, 'state'> | null> {
    const columns = ['project_id', 'provider', 'model_id', 'dimension', 'fitted_files', 'fitted_at', 'caught_up_at'];
    const row = (await this.db.select('embedding_models', { where: { project_id: projectId, provider }, columns })).data[0];
    if (!row) return null;
    return {
      project_id: Number(row.project_id),
      provider: String(row.provider),
      model_id: String(row.model_id),
      dimension: Number(row.dimension),
      fitted_files: Number(row.fitted_files),
      fitted_at: String(row.fitted_at),
      caught_up_at: row.caught_up_at === null ? null : String(row.caught_up_at),
    };
  }

  /** The stored state (builtin: the fitted model's bytes) of a model, or null when there is none or the model changed meanwhile. */
  async modelState(projectId: number, modelId: string): Promise<Uint8Array | null> {
    const row = (await this.db.select('embedding_models', { where: { project_id: projectId, model_id: modelId }, columns: ['state'] })).data[0];
    return row && row.state !== null ? blobBytes(row.state) : null;
  }

  /** Record the project's model of a provider (replacing the one before): its vectors are then stale until embedded again. */
  async saveModel(model: Omit<StoredModel, 'fitted_at' | 'caught_up_at'>): Promise<void> {
    const p = (n: number) => this.dialect.param(n);
    const columns = ['project_id', 'provider', 'model_id', 'dimension', 'state', 'fitted_files', 'fitted_at'];
    const sql =
      `INSERT INTO embedding_models (${columns.join(', ')}) VALUES (${columns.map((_, i) => p(i + 1)).join(', ')}) ` +
      'ON CONFLICT (project_id, provider) DO UPDATE SET model_id = excluded.model_id, dimension = excluded.dimension, state = excluded.state, ' +
      'fitted_files = excluded.fitted_files, fitted_at = excluded.fitted_at, caught_up_at = NULL';
    const state = model.state === null ? null : encodeBlob(model.state);
    await this.db.execute(sql, [model.project_id, model.provider, model.model_id, model.dimension, state, model.fitted_files, new Date().toISOString()], LOW);
  }

  /** Note that the project had nothing left to embed with its model (or, with null, that it has again). */
  async markCaughtUp(projectId: number, provider: string, at: string | null): Promise<void> {
    await this.db.update('embedding_models', { project_id: projectId, provider }, { caught_up_at: at }, LOW);
  }

  /** Files indexed since `since` (added or changed), and files the project has now: what refit-policy.ts weighs. */
  async fileChanges(projectId: number, since: string): Promise<{ files: number; changedSince: number }> {
    const p = (n: number) => this.dialect.param(n);
    const sql = `SELECT count(*) AS files, count(CASE WHEN indexed_at > ${p(1)} THEN 1 END) AS changed FROM files WHERE project_id = ${p(2)}`;
    const row = (await this.db.execute(sql, [since, projectId], LOW)).data?.[0] ?? {};
    return { files: Number(row.files ?? 0), changedSince: Number(row.changed ?? 0) };
  }

  /**
   * Definitions of the project with neither a vector nor an empty mark of `modelId`, after
   * the row id `afterId`, in id order (a pass walks the table once), at most `limit`. A
   * definition whose text changed is a new row: the index rewrites a changed file's symbols
   * (and its vectors go with them, ON DELETE CASCADE).
   */
  async pending(projectId: number, modelId: string, afterId: number, limit: number): Promise<PendingSymbol[]> {
    const p = (n: number) => this.dialect.param(n);
    // Numbered in order of appearance: SQLite's `?` is positional.
    const sql =
      `SELECT ${DEFINITION_COLUMNS} FROM symbols s JOIN files f ON f.id = s.file_id ` +
      `LEFT JOIN symbol_vectors v ON v.symbol_id = s.id AND v.model_id = ${p(1)} ` +
      `LEFT JOIN empty_vectors e ON e.symbol_id = s.id AND e.model_id = ${p(2)} ` +
      `WHERE s.project_id = ${p(3)} AND s.id > ${p(4)} AND s.kind IN (${kindList}) AND v.symbol_id IS NULL AND e.symbol_id IS NULL ` +
      `ORDER BY s.id LIMIT ${p(5)}`;
    const { data: rows = [] } = await this.db.execute(sql, [modelId, modelId, projectId, afterId, limit], LOW);
    return rows as unknown as PendingSymbol[];
  }

  /** Every definition of the project (paged by id), for fitting the builtin model. */
  async definitions(projectId: number, afterId: number, limit: number): Promise<PendingSymbol[]> {
    const p = (n: number) => this.dialect.param(n);
    const sql =
      `SELECT ${DEFINITION_COLUMNS} FROM symbols s JOIN files f ON f.id = s.file_id WHERE s.project_id = ${p(1)} AND s.kind IN (${kindList}) AND s.id > ${p(2)} ` +
      `ORDER BY s.id LIMIT ${p(3)}`;
    const { data: rows = [] } = await this.db.execute(sql, [projectId, afterId, limit], LOW);
    return rows as unknown as PendingSymbol[];
  }

  /**
   * Store embedded definitions of one project and model, in one transaction: their full-text
   * terms, and a vector row each (int8, src/driver/vector-codec.ts) or an empty mark for a
   * zero vector. Definitions deleted meanwhile (their file re-indexed) are left out;
   * answers how many of each were stored.
   */
  async store(projectId: number, modelId: string, vectors: readonly SymbolVector[]): Promise<{ embedded: number; empty: number }> {
    if (vectors.length === 0) return { embedded: 0, empty: 0 };
    const p = (n: number) => this.dialect.param(n);
    return this.db.transaction(
      async (tx) => {
        const ids = vectors.map((entry) => entry.symbol_id);
        const { data: alive } = await tx.select<{ id: number; kind: string }>('symbols', { where: { id: { in: ids } }, columns: ['id', 'kind'] });
        const kinds = new Map(alive.map((row) => [Number(row.id), String(row.kind)]));
        const kept = vectors.filter((entry) => kinds.has(entry.symbol_id));
        const full = kept.filter((entry) => !isZero(entry.vector));
        const empty = kept.filter((entry) => isZero(entry.vector));
        if (kept.length) await tx.delete('symbol_terms', { symbol_id: { in: kept.map((entry) => entry.symbol_id) } });
        for (let at = 0; at < kept.length; at += UPSERT_CHUNK) {
          const chunk = kept.slice(at, at + UPSERT_CHUNK);
          await tx.insertMany('symbol_terms', chunk.map((entry) => ({ symbol_id: entry.symbol_id, project_id: projectId, ...entry.terms })));
        }
        // A symbol keeps one of the two: the other goes (the model changed).
        if (full.length) await tx.delete('empty_vectors', { symbol_id: { in: full.map((entry) => entry.symbol_id) } });
        if (empty.length) await tx.delete('symbol_vectors', { symbol_id: { in: empty.map((entry) => entry.symbol_id) } });
        for (let at = 0; at < full.length; at += UPSERT_CHUNK) {
          const chunk = full.slice(at, at + UPSERT_CHUNK);
          let n = 0;
          const values = chunk.map(() => `(${[1, 2, 3, 4, 5, 6].map(() => p(++n)).join(', ')})`).join(', ');
          const params = chunk.flatMap((entry) => [entry.symbol_id, projectId, kinds.get(entry.symbol_id)!, modelId, entry.text_hash, encodeBlob(quantizeInt8(entry.vector))]);
          await tx.execute(
            `INSERT INTO symbol_vectors (symbol_id, project_id, kind, model_id, text_hash, vector) VALUES ${values} ` +
              'ON CONFLICT (symbol_id) DO UPDATE SET kind = excluded.kind, model_id = excluded.model_id, text_hash = excluded.text_hash, vector = excluded.vector',
            params,
          );
        }
        for (let at = 0; at < empty.length; at += UPSERT_CHUNK) {
          const chunk = empty.slice(at, at + UPSERT_CHUNK);
          let n = 0;
          const values = chunk.map(() => `(${[1, 2, 3, 4].map(() => p(++n)).join(', ')})`).join(', ');
          await tx.execute(
            `INSERT INTO empty_vectors (symbol_id, project_id, model_id, text_hash) VALUES ${values} ` +
              'ON CONFLICT (symbol_id) DO UPDATE SET model_id = excluded.model_id, text_hash = excluded.text_hash',
            chunk.flatMap((entry) => [entry.symbol_id, projectId, modelId, entry.text_hash]),
          );
        }
        return { embedded: full.length, empty: empty.length };
      },
      { priority: 'low' },
    );
  }

  /** How far the project's definitions are embedded with `modelId` (null: no model yet, nothing is). */
  async counts(projectId: number, modelId: string | null): Promise<VectorCounts> {
    const p = (n: number) => this.dialect.param(n);
    const sql =
      `SELECT (SELECT count(*) FROM symbols WHERE project_id = ${p(1)} AND kind IN (${kindList})) AS symbols, ` +
      `(SELECT count(*) FROM symbol_vectors WHERE project_id = ${p(2)} AND model_id = ${p(3)}) AS embedded, ` +
      `(SELECT count(*) FROM empty_vectors WHERE project_id = ${p(4)} AND model_id = ${p(5)}) AS empty`;
    const model = modelId ?? '';
    const row = (await this.db.execute(sql, [projectId, projectId, model, projectId, model])).data?.[0] ?? {};
    const symbols = Number(row.symbols ?? 0);
    const embedded = Number(row.embedded ?? 0);
    const empty = Number(row.empty ?? 0);
    return { symbols, embedded, empty, pending: Math.max(0, symbols - embedded - empty) };
  }

  /** Forget the project's vectors and models (`embed --force`): everything is embedded again, the builtin model fitted again. */
  async clear(projectId: number): Promise<void> {
    await this.db.batch(
      ['symbol_vectors', 'empty_vectors', 'symbol_terms', 'embedding_models'].map((table_name) => ({ method: 'delete', params: { table_name, where: { project_id: projectId } } })),
      LOW,
    );
  }
}
