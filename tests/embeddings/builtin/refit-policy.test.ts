import { expect, it } from 'vitest';
import { REFIT_RULE, refitReason } from '../../../src/embeddings/builtin/refit-policy.ts';

const fresh = { fittedFiles: 800, changedFiles: 0, embeddedTexts: 0, knownShare: 1 };

it('asks for a first fit, then keeps the model while the code stays close to it', () => {
  expect(refitReason({ ...fresh, fittedFiles: 0 })).toBe('no model has been fitted yet');
  expect(refitReason(fresh)).toBeNull();
  expect(refitReason({ ...fresh, changedFiles: 199, embeddedTexts: 5000, knownShare: 0.9 })).toBeNull();
});

it('refits once a quarter of the files changed, but not for a few files of a small project', () => {
  expect(REFIT_RULE.changedShare).toBe(0.25);
  expect(refitReason({ ...fresh, changedFiles: 200 })).toBe('200 files changed since the model was fitted on 800');
  expect(refitReason({ ...fresh, fittedFiles: 8, changedFiles: 19 })).toBeNull();
  expect(refitReason({ ...fresh, fittedFiles: 8, changedFiles: 20 })).toBe('20 files changed since the model was fitted on 8');
});

it('refits when most words being embedded are unknown to it, over enough texts', () => {
  expect(refitReason({ ...fresh, embeddedTexts: 199, knownShare: 0.1 })).toBeNull();
  expect(refitReason({ ...fresh, embeddedTexts: 500, knownShare: 0.55 })).toBe('the model knows 55% of the words of the last 500 texts');
});
