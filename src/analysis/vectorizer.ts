import { join } from 'node:path';
import type { CodeDatabase, Project } from '../db/code-database.ts';
import { EMBEDDED_KINDS, type PendingSymbol, type SymbolVector } from '../db/code-vectors.ts';
import { type CorpusFile, fitBuiltinModel, fittingDocuments } from '../embeddings/builtin/builtin-model.ts';
import { refitReason } from '../embeddings/builtin/refit-policy.ts';
import { fingerprint } from '../embeddings/fingerprint.ts';
import { fullTextTerms } from '../embeddings/full-text-terms.ts';
import { bodyLines, symbolText } from '../embeddings/symbol-text.ts';
import { RpcError } from '../ipc/errors.ts';
import type { Logger } from '../runtime/logger.ts';
import type { FileSystem } from '../runtime/types.ts';
import type { EmbeddingSource, ProjectEmbedder } from './embedding-source.ts';

export interface VectorizerContext {
  fs: Pick<FileSystem, 'readText'>;
  code: CodeDatabase;
  source: EmbeddingSource;
  logger: Logger;
  /** Definitions embedded (and stored) per step. */
  batchSize: number;
}

/** A project's vectors as the vectorizer reports them (in /status and index_status). */
export interface VectorProgress {
  project_id: number;
  root: string;
  provider: string;
  model_id: string | null;
  /** fitting (the builtin model), embedding, ready (nothing left to embed), stopped, failed. */
  state: 'fitting' | 'embedding' | 'ready' | 'stopped' | 'failed';
  symbols: number;
  embedded: number;
  empty: number;
  pending: number;
  /** Embedded (and stored) by this pass. */
  done: number;
  error: string | null;
}

/** The embedding provider failed (not the database): counted apart, in /metrics. */
export class ProviderFailure extends Error {
  constructor(
    readonly provider: string,
    readonly error: RpcError,
  ) {
    super(`the ${provider} embedding provider failed: ${error.message}`);
  }

  /** When the provider asked to be left alone (an open circuit, a Retry-After), in ms. */
  get retryAfterMs(): number | null {
    const after = this.error.data?.retry_after_ms;
    return typeof after === 'number' ? after : null;
  }
}

/** Run a provider call; its failure becomes a ProviderFailure. */
async function fromProvider<T>(provider: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new ProviderFailure(provider, RpcError.from(error));
  }
}

const encoder = new TextEncoder();
const textHash = (text: string) => fingerprint([encoder.encode(text)], 32);

/** Rows read at once while gathering the builtin model's corpus. */
const CORPUS_PAGE = 5_000;

/** The texts (symbol-text.ts) of some definitions: each file read once, members from its other symbols. */
export async function definitionTexts(context: Pick<VectorizerContext, 'fs' | 'code'>, root: string, symbols: readonly PendingSymbol[]): Promise<string[]> {
  const fileIds = [...new Set(symbols.map((symbol) => symbol.file_id))];
  const children = await context.code.childrenOf(
    fileIds,
    symbols.map((symbol) => symbol.qualified_name),
  );
  const members = new Map<string, string[]>();
  for (const child of children) {
    if (!EMBEDDED_KINDS.includes(child.kind)) continue;
    const key = `${child.file_id}:${child.parent}`;
    members.set(key, [...(members.get(key) ?? []), child.name]);
  }
  const lines = new Map<number, string[]>();
  for (const symbol of symbols) {
    if (lines.has(symbol.file_id)) continue;
    // A file gone from disk since it was indexed still has its name, signature and docstring.
    const text = await context.fs.readText(join(root, symbol.path)).catch(() => '');
    lines.set(symbol.file_id, text.split('\n'));
  }
  return symbols.map((symbol) =>
    symbolText({
      ...symbol,
      members: members.get(`${symbol.file_id}:${symbol.qualified_name}`) ?? [],
      body: bodyLines(lines.get(symbol.file_id)!, symbol),
    }),
  );
}

/** Fit the project's builtin model on its library files' definitions and record it (its vectors are then stale). */
async function fitBuiltin(context: VectorizerContext, project: Project): Promise<void> {
  const byFile = new Map<string, string[]>();
  for (let after = 0; ; ) {
    const page = await context.code.vectors.definitions(project.id, after, CORPUS_PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const texts = await definitionTexts(context, project.root, page);
    page.forEach((symbol, i) => byFile.set(symbol.path, [...(byFile.get(symbol.path) ?? []), texts[i]!]));
  }
  const files: CorpusFile[] = [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, texts]) => ({ path, texts }));
  const model = await fromProvider('builtin', () => fitBuiltinModel(fittingDocuments(files), { dimensions: context.source.config.builtin.dimensions }));
  await context.code.vectors.saveModel({ project_id: project.id, provider: 'builtin', model_id: model.id, dimension: model.lsi.dimension, state: model.bytes, fitted_files: files.length });
}

/**
 * The provider that embeds the project now, its model recorded: builtin fits the project's
 * model when there is none or refit-policy.ts says it drifted; http and onnx record their
 * model id (a new one makes every stored vector stale).
 */
export async function projectEmbedder(context: VectorizerContext, project: Project, onFitting: () => void): Promise<ProjectEmbedder | null> {
  const { source, code } = context;
  let current = await source.forProject(code.vectors, project.id);
  if (source.kind === 'builtin') {
    let reason: string | null = current ? null : 'no model has been fitted yet';
    if (current) {
      const changes = await code.vectors.fileChanges(project.id, current.stored.fitted_at);
      // Files gone since the fit count as changed too.
      const removed = Math.max(0, current.stored.fitted_files - (changes.files - changes.changedSince));
      const coverage = (current.provider as ReturnType<EmbeddingSource['builtin']>).coverage();
      reason = refitReason({ fittedFiles: current.stored.fitted_files, changedFiles: changes.changedSince + removed, embeddedTexts: coverage.texts, knownShare: coverage.knownShare });
    }
    if (reason === null) return current;
    if ((await code.vectors.counts(project.id, null)).symbols === 0) return null;
    context.logger.info(`${project.root}: fitting the builtin model (${reason})`);
    onFitting();
    await fitBuiltin(context, project);
    return source.forProject(code.vectors, project.id);
  }
  const provider = await fromProvider(source.kind, () => source.sharedProvider());
  if (current?.stored.model_id !== provider.modelId) {
    await code.vectors.saveModel({ project_id: project.id, provider: provider.kind, model_id: provider.modelId, dimension: provider.dimension, state: null, fitted_files: 0 });
    current = await source.forProject(code.vectors, project.id);
  }
  return current;
}

export interface VectorizeOptions {
  onProgress?: (progress: VectorProgress) => void;
  shouldStop?: () => boolean;
}

/**
 * Embed every definition of the project that has no vector of the current model yet, a
 * batch at a time (read, embed, store in one transaction), until none is left or it is
 * told to stop. Provider errors are thrown to the caller (the worker counts them and tries
 * again later); what was stored stays stored.
 */
export async function vectorizeProject(context: VectorizerContext, project: Project, options: VectorizeOptions = {}): Promise<VectorProgress> {
  const { code } = context;
  const progress: VectorProgress = {
    project_id: project.id,
    root: project.root,
    provider: context.source.kind,
    model_id: null,
    state: 'embedding',
    symbols: 0,
    embedded: 0,
    empty: 0,
    pending: 0,
    done: 0,
    error: null,
  };
  const report = async (state: VectorProgress['state']) => {
    Object.assign(progress, await code.vectors.counts(project.id, progress.model_id), { state });
    options.onProgress?.({ ...progress });
  };
  const embedder = await projectEmbedder(context, project, () => options.onProgress?.({ ...progress, state: 'fitting' }));
  if (!embedder) {
    await report('ready');
    return progress;
  }
  const { provider, stored: model } = embedder;
  progress.model_id = provider.modelId;
  await report('embedding');
  // A walk of the table by id; rows added meanwhile below the cursor (SQLite may reuse an id) call for another from the start.
  // Once per call: what is still missing after that is the next pass's.
  let afterId = 0;
  let walkedAgain = false;
  while (!options.shouldStop?.()) {
    const batch = await code.vectors.pending(project.id, provider.modelId, afterId, context.batchSize);
    if (batch.length === 0 && !walkedAgain && afterId > 0 && (await code.vectors.counts(project.id, provider.modelId)).pending > 0) {
      afterId = 0;
      walkedAgain = true;
      continue;
    }
    if (batch.length === 0) {
      if (model.caught_up_at === null) await code.vectors.markCaughtUp(project.id, provider.kind, new Date().toISOString());
      await report('ready');
      return progress;
    }
    afterId = batch[batch.length - 1]!.id;
    const texts = await definitionTexts(context, project.root, batch);
    const vectors = await fromProvider(provider.kind, () => provider.embed(texts));
    const rows: SymbolVector[] = await Promise.all(
      batch.map(async (symbol, i) => ({ symbol_id: symbol.id, text_hash: await textHash(texts[i]!), vector: vectors[i]!, terms: fullTextTerms(symbol.name, texts[i]!) })),
    );
    const stored = await code.vectors.store(project.id, provider.modelId, rows);
    progress.done += stored.embedded + stored.empty;
    // Counted as it goes (counting the tables after every batch costs more than the batch); recounted at the end.
    progress.embedded += stored.embedded;
    progress.empty += stored.empty;
    progress.pending = Math.max(0, progress.symbols - progress.embedded - progress.empty);
    options.onProgress?.({ ...progress });
  }
  await report('stopped');
  return progress;
}
