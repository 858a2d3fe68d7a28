import { expect, it } from 'vitest';
import { BUILTIN_DEFAULTS, fitBuiltinModel, fittingDocuments, loadBuiltinModel } from '../../../src/embeddings/builtin/builtin-model.ts';
import { builtinProvider } from '../../../src/embeddings/builtin/builtin-provider.ts';
import { definitionText, TOPICAL_FILES } from '../../helpers/embedding-corpus.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
const SMALL = { dimensions: 4 };

it('learns from library files, one document per file, and from every file only when all are tests', () => {
  const documents = fittingDocuments(TOPICAL_FILES);
  expect(documents).toHaveLength(TOPICAL_FILES.length - 1);
  expect(documents[0]).toEqual(TOPICAL_FILES[0]!.texts);
  const onlyTests = TOPICAL_FILES.filter((file) => file.path.startsWith('test/'));
  expect(fittingDocuments(onlyTests)).toEqual([onlyTests[0]!.texts]);
});

it('is deterministic: the same documents give the same bytes and id; other documents another id', async () => {
  const documents = fittingDocuments(TOPICAL_FILES);
  const first = await fitBuiltinModel(documents, SMALL);
  const second = await fitBuiltinModel(documents, SMALL);
  expect(second.bytes).toEqual(first.bytes);
  expect(second.id).toBe(first.id);
  expect(first.id).toMatch(/^builtin-lsi-4d-[0-9a-f]{16}$/);
  const other = await fitBuiltinModel(documents.slice(1), SMALL);
  expect(other.id).not.toBe(first.id);
  expect((await fitBuiltinModel(documents, { ...SMALL, seed: 2 })).id).not.toBe(first.id);
  expect(BUILTIN_DEFAULTS.dimensions).toBe(192);
});

it('caps the dimension at what the corpus holds', async () => {
  const model = await fitBuiltinModel(fittingDocuments(TOPICAL_FILES));
  expect(model.lsi.dimension).toBeLessThanOrEqual(TOPICAL_FILES.length - 1);
  expect(model.lsi.dimension).toBeGreaterThan(0);
});

it('embeds unit vectors, the zero vector for a text it knows nothing of, and relates words that go together', async () => {
  const model = await fitBuiltinModel(fittingDocuments(TOPICAL_FILES), SMALL);
  const provider = builtinProvider(model);
  expect(provider.kind).toBe('builtin');
  expect(provider.modelId).toBe(model.id);
  expect(provider.dimension).toBe(4);
  const [memo, lookup, connect, inflate, unknown] = await provider.embed([
    'memo',
    definitionText('lookup', 'cache/store.py', 'Find a stored result in the cache.'),
    definitionText('connect', 'net/socket.py', 'Open a socket connection to a host and port.'),
    definitionText('inflate', 'zip/zlib.py', 'Inflate deflated bytes, decompress zlib data.'),
    'frobnicate the quux',
  ]);
  for (const vector of [memo, lookup, connect, inflate]) expect(dot(vector!, vector!)).toBeCloseTo(1, 5);
  expect(Array.from(unknown!)).toEqual([0, 0, 0, 0]);
  // `memo` is not in lookup's text, yet the cache topic brings them together.
  expect(dot(memo!, lookup!)).toBeGreaterThan(0.8);
  expect(dot(memo!, lookup!)).toBeGreaterThan(dot(memo!, connect!) + 0.5);
  expect(dot(memo!, lookup!)).toBeGreaterThan(dot(memo!, inflate!) + 0.5);
});

it('comes back from its bytes with the same id and the same vectors', async () => {
  const model = await fitBuiltinModel(fittingDocuments(TOPICAL_FILES), SMALL);
  const loaded = await loadBuiltinModel(model.bytes.slice());
  expect(loaded.id).toBe(model.id);
  expect(loaded.lsi.parameters).toEqual(model.lsi.parameters);
  const text = definitionText('receive', 'net/server.py', 'Receive bytes from a connection.');
  expect(await builtinProvider(loaded).embed([text])).toEqual(await builtinProvider(model).embed([text]));
});

it('refuses a corpus with nothing to learn, naming it', async () => {
  const error = await rejectionOf(fitBuiltinModel([['alpha'], ['beta']]));
  expect(error.codeName).toBe('VALIDATION_ERROR');
  expect(error.message).toContain('cannot learn from 2 documents');
  expect(error.data).toEqual({ field: 'documents', documents: 2 });
});

it('counts how much of what it embedded it knew', async () => {
  const provider = builtinProvider(await fitBuiltinModel(fittingDocuments(TOPICAL_FILES), SMALL));
  expect(provider.coverage()).toEqual({ texts: 0, knownShare: 1 });
  await provider.embed(['cache socket', 'cache frobnicate']);
  expect(provider.coverage()).toEqual({ texts: 2, knownShare: 0.75 });
  await provider.close();
});
