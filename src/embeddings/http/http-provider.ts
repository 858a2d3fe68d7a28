import * as v from 'valibot';
import { RpcError } from '../../ipc/errors.ts';
import type { EmbeddingProvider } from '../types.ts';
import { normalize } from '../vector-math.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { type Verdict, withRetry } from './retry.ts';

/** The `embeddings.http` settings (src/config/schema.ts). */
export interface HttpProviderSettings {
  /** The server's base URL (`http://127.0.0.1:8080`, or ending in `/v1`): requests go to …/v1/embeddings. */
  url: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when set. */
  api_key: string | null;
  /** Texts per request. */
  batch_size: number;
  /** One request's deadline. */
  timeout_ms: number;
  /** Tries after the first, waiting retry_delay_ms, then twice that, … */
  retries: number;
  retry_delay_ms: number;
  /** Failed requests in a row (after their retries) that open the circuit, and how long it stays open. */
  breaker_failures: number;
  breaker_open_ms: number;
}

const ResponseSchema = v.object({
  data: v.array(v.object({ embedding: v.array(v.number()), index: v.optional(v.number()) })),
});

// A server's Retry-After is honoured up to this.
const MAX_RETRY_WAIT_MS = 60_000;

export function embeddingsUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? `${trimmed}/embeddings` : `${trimmed}/v1/embeddings`;
}

/** An error worth trying again (the service may be back in a moment), with the wait it asked for. */
const retryable = (code: 'CONNECTION_ERROR' | 'TIMEOUT', message: string, data: Record<string, unknown>) =>
  new RpcError(code, message, { ...data, retryable: true });

function failedStatus(url: string, response: Response, body: string): RpcError {
  const excerpt = body.slice(0, 300);
  const status = response.status;
  if (status === 408 || status === 429 || status >= 500) {
    const seconds = Number(response.headers.get('retry-after'));
    return retryable('CONNECTION_ERROR', `${url} answered ${status}: ${excerpt}`, {
      status,
      ...(seconds > 0 ? { retry_after_ms: Math.min(seconds * 1000, MAX_RETRY_WAIT_MS) } : {}),
    });
  }
  const code = status === 401 || status === 403 ? 'PERMISSION_DENIED' : 'VALIDATION_ERROR';
  return new RpcError(code, `${url} refused the request with ${status}: ${excerpt}`, { status, field: 'embeddings.http' });
}

async function post(url: string, settings: HttpProviderSettings, input: readonly string[]): Promise<number[][]> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (settings.api_key) headers.authorization = `Bearer ${settings.api_key}`;
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ model: settings.model, input }), signal: AbortSignal.timeout(settings.timeout_ms) });
    body = await response.text();
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw retryable('TIMEOUT', `${url} did not answer within ${settings.timeout_ms} ms`, { timeout_ms: settings.timeout_ms });
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw retryable('CONNECTION_ERROR', `${url} cannot be reached (${error instanceof Error ? error.message : String(error)}${cause})`, {});
  }
  if (!response.ok) throw failedStatus(url, response, body);
  let parsed: v.InferOutput<typeof ResponseSchema>;
  try {
    parsed = v.parse(ResponseSchema, JSON.parse(body));
  } catch (error) {
    throw retryable('CONNECTION_ERROR', `${url} answered with something that is not an embeddings response (${error instanceof Error ? error.message : String(error)})`, {
      field: 'response',
    });
  }
  if (parsed.data.length !== input.length) {
    throw retryable('CONNECTION_ERROR', `${url} answered ${parsed.data.length} embeddings for ${input.length} texts`, { field: 'response' });
  }
  return [...parsed.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((item) => item.embedding);
}

const judge = (error: RpcError): Verdict =>
  error.data?.retryable === true ? { retry: true, afterMs: typeof error.data.retry_after_ms === 'number' ? error.data.retry_after_ms : undefined } : { retry: false };

/**
 * An OpenAI-compatible embeddings endpoint (llama.cpp's server, Ollama, text-embeddings-
 * inference, vLLM): `POST …/v1/embeddings {model, input: [...]}` → `data[i].embedding`.
 * Batches, retries with backoff, and a circuit breaker so an outage fails fast instead of
 * holding the caller. Opening asks the server once, to learn the dimension.
 */
export async function openHttpProvider(settings: HttpProviderSettings, options: { now?: () => number } = {}): Promise<EmbeddingProvider> {
  const url = embeddingsUrl(settings.url);
  const breaker = new CircuitBreaker(`the embeddings endpoint ${url}`, {
    failures: settings.breaker_failures,
    openMs: settings.breaker_open_ms,
    now: options.now,
    isOutage: (error) => error instanceof RpcError && error.data?.retryable === true,
  });
  const retry = { retries: settings.retries, baseDelayMs: settings.retry_delay_ms, maxDelayMs: MAX_RETRY_WAIT_MS };
  let dimension: number | null = null;

  const embedBatch = async (batch: readonly string[]): Promise<Float32Array[]> => {
    const embeddings = await breaker.run(() => withRetry(() => post(url, settings, batch), judge, retry));
    return embeddings.map((embedding) => {
      if (embedding.length === 0 || (dimension !== null && embedding.length !== dimension)) {
        throw new RpcError('VALIDATION_ERROR', `${url} answered a vector of ${embedding.length} dimensions where ${dimension ?? 'at least 1'} were expected: has the model changed?`, {
          field: 'response',
          dimension: embedding.length,
        });
      }
      return normalize(Float32Array.from(embedding));
    });
  };

  const embed = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const vectors: Float32Array[] = [];
    for (let at = 0; at < texts.length; at += settings.batch_size) vectors.push(...(await embedBatch(texts.slice(at, at + settings.batch_size))));
    return vectors;
  };

  dimension = (await embedBatch(['dimension probe']))[0]!.length;
  return {
    kind: 'http',
    modelId: `http:${settings.model}:${dimension}`,
    dimension,
    embed,
    async close() {},
  };
}
