import { expect, it } from 'vitest';
import { embeddingsUrl, type HttpProviderSettings, openHttpProvider } from '../../../src/embeddings/http/http-provider.ts';
import { deterministicVector, EmbeddingServer } from '../../helpers/embedding-server.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const settings = (url: string, overrides: Partial<HttpProviderSettings> = {}): HttpProviderSettings => ({
  url,
  model: 'test-model',
  api_key: null,
  batch_size: 3,
  timeout_ms: 5000,
  retries: 1,
  retry_delay_ms: 1,
  breaker_failures: 2,
  breaker_open_ms: 60_000,
  ...overrides,
});

/** What the endpoint's vector for `text` is once scaled to unit length, to 6 decimals. */
const expected = (text: string) => {
  const values = deterministicVector(text, 8);
  const norm = Math.hypot(...values);
  return values.map((value) => Number((value / norm).toFixed(6)));
};
const rounded = (vectors: Float32Array[]) => vectors.map((vector) => Array.from(vector, (value) => Number(value.toFixed(6))));

it('posts batches to /v1/embeddings and answers unit vectors in the order of the texts', async () => {
  const server = await EmbeddingServer.start(8);
  server.apiKey = 'secret-key';
  const provider = await openHttpProvider(settings(server.url, { api_key: 'secret-key' }));
  expect(provider.kind).toBe('http');
  expect(provider.dimension).toBe(8);
  expect(provider.modelId).toBe('http:test-model:8');
  const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];
  const vectors = await provider.embed(texts);
  expect(rounded(vectors)).toEqual(texts.map(expected));
  for (const vector of vectors) expect(vector.reduce((sum, value) => sum + value * value, 0)).toBeCloseTo(1, 6);
  // The probe, then 3 + 3 + 1.
  expect(server.requests.map((request) => request.input.length)).toEqual([1, 3, 3, 1]);
  expect(new Set(server.requests.map((request) => `${String(request.model)} ${request.authorization}`))).toEqual(new Set(['test-model Bearer secret-key']));
  expect(await provider.embed([])).toEqual([]);
  await provider.close();
});

it('takes a base URL with or without /v1', () => {
  expect(embeddingsUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/v1/embeddings');
  expect(embeddingsUrl('http://127.0.0.1:11434/v1/')).toBe('http://127.0.0.1:11434/v1/embeddings');
});

it('refuses a wrong key or a bad request at once, without retrying and without opening the circuit', async () => {
  const server = await EmbeddingServer.start();
  server.apiKey = 'right-key';
  const denied = await rejectionOf(openHttpProvider(settings(server.url, { api_key: 'wrong-key' })));
  expect(denied.codeName).toBe('PERMISSION_DENIED');
  expect(denied.data).toEqual({ status: 401, field: 'embeddings.http' });
  server.apiKey = null;
  const provider = await openHttpProvider(settings(server.url));
  server.mode = 'refuse';
  for (let i = 0; i < 3; i++) {
    const refused = await rejectionOf(provider.embed(['x']));
    expect(refused.codeName).toBe('VALIDATION_ERROR');
    expect(refused.message).toContain('refused the request with 400: {"error": "model not found"}');
  }
  // One request each: no retries, and the circuit stayed closed.
  expect(server.requests).toHaveLength(2 + 3);
});

it('survives an outage: retries, opens the circuit and fails fast, then catches up when the endpoint is back', async () => {
  const server = await EmbeddingServer.start();
  const provider = await openHttpProvider(settings(server.url, { breaker_open_ms: 300 }));
  server.mode = 'down';
  for (let i = 0; i < 2; i++) {
    const failed = await rejectionOf(provider.embed(['during the outage']));
    expect(failed.codeName).toBe('CONNECTION_ERROR');
    expect(failed.data?.status).toBe(503);
  }
  // 1 probe + 2 calls × (1 try + 1 retry); now the circuit is open and nothing reaches the server.
  expect(server.requests).toHaveLength(5);
  const fast = await rejectionOf(provider.embed(['still down?']));
  expect(fast.data?.circuit).toBe('open');
  expect(server.requests).toHaveLength(5);

  server.mode = 'up';
  const vectors = await waitFor(() => provider.embed(['after the outage']), { message: 'the endpoint to be used again' });
  expect(rounded(vectors)).toEqual([expected('after the outage')]);
});

it('recovers when a stopped endpoint listens again on its port', async () => {
  const server = await EmbeddingServer.start();
  const provider = await openHttpProvider(settings(server.url, { breaker_open_ms: 200 }));
  await server.stop();
  const refused = await rejectionOf(provider.embed(['nobody listens']));
  expect(refused.codeName).toBe('CONNECTION_ERROR');
  expect(refused.message).toContain('cannot be reached');
  await server.listen();
  expect(await waitFor(() => provider.embed(['listening again']))).toHaveLength(1);
});

it('gives up on a request that takes longer than its timeout', async () => {
  const server = await EmbeddingServer.start();
  const provider = await openHttpProvider(settings(server.url, { timeout_ms: 200, retries: 0 }));
  server.mode = 'hang';
  const timedOut = await rejectionOf(provider.embed(['slow']));
  expect(timedOut.codeName).toBe('TIMEOUT');
  expect(timedOut.message).toContain('did not answer within 200 ms');
});

it('refuses answers that are not embeddings, or of another dimension', async () => {
  const server = await EmbeddingServer.start(8);
  const provider = await openHttpProvider(settings(server.url, { retries: 0, breaker_failures: 10 }));
  server.mode = 'garbage';
  const garbage = await rejectionOf(provider.embed(['x']));
  expect(garbage.codeName).toBe('CONNECTION_ERROR');
  expect(garbage.data?.field).toBe('response');
  server.mode = 'up';
  server.dimension = 4;
  const changed = await rejectionOf(provider.embed(['x']));
  expect(changed.codeName).toBe('VALIDATION_ERROR');
  expect(changed.message).toContain('a vector of 4 dimensions where 8 were expected');
});

it('cannot be opened while the endpoint is down: the caller tries again later', async () => {
  const server = await EmbeddingServer.start();
  server.mode = 'down';
  const failed = await rejectionOf(openHttpProvider(settings(server.url, { retries: 0 })));
  expect(failed.codeName).toBe('CONNECTION_ERROR');
});
