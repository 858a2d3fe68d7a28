import { expect, it } from 'vitest';
import { fitBuiltinModel, fittingDocuments } from '../../../src/embeddings/builtin/builtin-model.ts';
import { decodeLsiModel, encodeLsiModel } from '../../../src/embeddings/builtin/model-codec.ts';
import { TOPICAL_FILES } from '../../helpers/embedding-corpus.ts';
import { thrownBy } from '../../helpers/rpc-error.ts';

const model = (await fitBuiltinModel(fittingDocuments(TOPICAL_FILES), { dimensions: 3 })).lsi;

it('decodes what it encoded, exactly', () => {
  const bytes = encodeLsiModel(model);
  expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('CALSI001');
  const decoded = decodeLsiModel(bytes);
  expect(decoded).toEqual(model);
  // From a view into a larger buffer too (as a database driver may hand it over).
  const padded = new Uint8Array(bytes.length + 5);
  padded.set(bytes, 5);
  expect(decodeLsiModel(padded.subarray(5))).toEqual(model);
});

it('refuses bytes that are not a model with a VALIDATION_ERROR naming the field', () => {
  const bytes = encodeLsiModel(model);
  const cases: Array<[Uint8Array, string]> = [
    [new Uint8Array(0), 'does not start with CALSI001'],
    [new TextEncoder().encode('PNG\0 not a model at all'), 'does not start with CALSI001'],
    [bytes.subarray(0, 20), 'header runs past its end'],
    [bytes.subarray(0, bytes.length - 4), 'sizes do not match its header'],
  ];
  const garbledHeader = bytes.slice();
  garbledHeader[12] = 0x7b + 1;
  cases.push([garbledHeader, 'header is not JSON']);
  const longTerms = bytes.slice();
  const headerLength = new DataView(bytes.buffer).getUint32(8, true);
  new DataView(longTerms.buffer).setUint32(12 + headerLength, 0xffffff, true);
  cases.push([longTerms, 'vocabulary runs past its end']);
  for (const [input, reason] of cases) {
    const error = thrownBy(() => decodeLsiModel(input));
    expect(error.codeName).toBe('VALIDATION_ERROR');
    expect(error.message).toContain(reason);
    expect(error.data?.field).toBe('model');
  }
});
