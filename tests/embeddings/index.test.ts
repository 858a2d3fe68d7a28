import { expect, it } from 'vitest';
import * as embeddings from '../../src/embeddings/index.ts';

it('src/embeddings/index.ts exports the contract, the builtin model, the symbol text and the hybrid ranking', () => {
  expect(Object.keys(embeddings).sort()).toEqual(
    [
      'BODY_LINES', 'BUILTIN_DEFAULTS', 'EMBEDDING_PROVIDER_KINDS', 'PRIVATE_PRIOR', 'REFIT_RULE', 'SYMBOL_TEXT_FIELDS', 'TEST_PRIOR', 'VECTOR_WEIGHT',
      'bodyLines', 'builtinProvider', 'embeddingsUrl', 'fitBuiltinModel', 'fittingDocuments', 'hybridRanking', 'isPrivateName', 'isTestPath', 'loadBuiltinModel', 'openHttpProvider', 'openOnnxProvider',
      'rankingPrior', 'refitReason', 'subwords', 'symbolText',
    ].sort(),
  );
  expect(embeddings.EMBEDDING_PROVIDER_KINDS).toEqual(['builtin', 'http', 'onnx']);
});
