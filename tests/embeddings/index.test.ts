import { expect, it } from 'vitest';
import * as embeddings from '../../src/embeddings/index.ts';

it('src/embeddings/index.ts exports the providers, the builtin model, the symbol text and the hybrid ranking', () => {
  expect(Object.keys(embeddings).sort()).toEqual(
    [
      'BODY_LINES', 'BUILTIN_DEFAULTS', 'BUILTIN_OVER_TERMS_WEIGHT', 'PRIVATE_PRIOR', 'REFIT_RULE', 'SYMBOL_TEXT_FIELDS', 'TEST_PRIOR', 'VECTOR_WEIGHT',
      'bodyLines', 'builtinProvider', 'embeddingsUrl', 'fitBuiltinModel', 'fittingDocuments', 'fullTextTerms', 'hybridRanking', 'hybridScores', 'questionStems', 'questionTerms', 'isPrivateName', 'isTestPath', 'loadBuiltinModel', 'openEmbeddingProvider', 'openHttpProvider', 'openOnnxProvider',
      'rankingPrior', 'refitReason', 'subwords', 'symbolText',
    ].sort(),
  );
});
