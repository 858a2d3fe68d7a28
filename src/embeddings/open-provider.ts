import type { EmbeddingsConfig } from '../config/schema.ts';
import { RpcError } from '../ipc/errors.ts';
import type { BuiltinModel } from './builtin/builtin-model.ts';
import { builtinProvider } from './builtin/builtin-provider.ts';
import { openHttpProvider } from './http/http-provider.ts';
import { type OnnxHost, openOnnxProvider } from './onnx/onnx-provider.ts';
import type { EmbeddingProvider } from './types.ts';

/** What opening a provider needs besides the config. */
export interface ProviderHost extends OnnxHost {
  /** The fitted builtin model (kept in the database), or null when none has been fitted yet. */
  builtinModel: BuiltinModel | null;
}

/** The provider the config chooses (`embeddings.provider`), opened and ready to embed. */
export async function openEmbeddingProvider(config: EmbeddingsConfig, host: ProviderHost): Promise<EmbeddingProvider> {
  switch (config.provider) {
    case 'builtin':
      if (!host.builtinModel) {
        throw new RpcError('NOT_FOUND', 'no builtin embedding model has been fitted yet: it is learnt from the indexed code once there is some', { field: 'embeddings.provider' });
      }
      return builtinProvider(host.builtinModel);
    case 'http': {
      // validateConfig guarantees both for this provider.
      const { url, model } = config.http;
      return openHttpProvider({ ...config.http, url: url!, model: model! });
    }
    case 'onnx':
      return openOnnxProvider({ ...config.onnx, model_dir: config.onnx.model_dir! }, host);
  }
}
