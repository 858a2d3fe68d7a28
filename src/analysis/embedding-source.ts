import type { EmbeddingsConfig } from '../config/schema.ts';
import type { CodeVectors, StoredModel } from '../db/code-vectors.ts';
import { type BuiltinModel, loadBuiltinModel } from '../embeddings/builtin/builtin-model.ts';
import { type BuiltinProvider, builtinProvider } from '../embeddings/builtin/builtin-provider.ts';
import { openEmbeddingProvider } from '../embeddings/open-provider.ts';
import type { OnnxHost } from '../embeddings/onnx/onnx-provider.ts';
import type { EmbeddingProvider } from '../embeddings/types.ts';

/** A project's provider of the moment and the stored model its vectors must carry. */
export interface ProjectEmbedder {
  provider: EmbeddingProvider;
  stored: Omit<StoredModel, 'state'>;
}

/** Fitted builtin models kept in memory at once (one per project searched or embedded lately). */
const BUILTIN_CACHE = 8;

/**
 * Where embeddings come from, for the vectorizer and the searches alike: the configured
 * provider. `http` and `onnx` are one provider for every project, opened on first need (an
 * http server that is down is asked again next time, never cached as a failure); `builtin`
 * is each project's own fitted model, read from the database and kept by model id.
 */
export class EmbeddingSource {
  private shared: EmbeddingProvider | null = null;
  private readonly builtins = new Map<string, BuiltinProvider>();

  constructor(
    readonly config: EmbeddingsConfig,
    private readonly host: OnnxHost,
  ) {}

  get kind(): EmbeddingsConfig['provider'] {
    return this.config.provider;
  }

  /** The http or onnx provider, opened once it answers. */
  async sharedProvider(): Promise<EmbeddingProvider> {
    this.shared ??= await openEmbeddingProvider(this.config, { ...this.host, builtinModel: null });
    return this.shared;
  }

  /** The builtin provider of a fitted model (kept, so its vocabulary coverage adds up across batches). */
  builtin(model: BuiltinModel): BuiltinProvider {
    let provider = this.builtins.get(model.id);
    if (!provider) {
      if (this.builtins.size >= BUILTIN_CACHE) this.builtins.delete(this.builtins.keys().next().value!);
      provider = builtinProvider(model);
      this.builtins.set(model.id, provider);
    }
    return provider;
  }

  /** The builtin provider of a stored model: its bytes are read (and decoded) once per model id. */
  async storedBuiltin(vectors: CodeVectors, stored: Omit<StoredModel, 'state'>): Promise<BuiltinProvider> {
    const known = this.builtins.get(stored.model_id);
    if (known) return known;
    return this.builtin(await loadBuiltinModel((await vectors.modelState(stored.project_id, stored.model_id)) ?? new Uint8Array(0)));
  }

  /**
   * What embeds for a project now, without fitting or recording anything: null when the
   * project has no model of the configured provider yet (the vectorizer has not reached it).
   */
  async forProject(vectors: CodeVectors, projectId: number): Promise<ProjectEmbedder | null> {
    const stored = await vectors.model(projectId, this.kind);
    if (!stored) return null;
    if (this.kind === 'builtin') return { provider: await this.storedBuiltin(vectors, stored), stored };
    return { provider: await this.sharedProvider(), stored };
  }

  async close(): Promise<void> {
    await this.shared?.close();
    this.shared = null;
    this.builtins.clear();
  }
}
