import { expect, it } from 'vitest';
import { RpcError } from '../../../src/ipc/errors.ts';
import { withRetry } from '../../../src/embeddings/http/retry.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

const options = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 };

it('tries again on a retryable error and returns the first success', async () => {
  let attempts = 0;
  const result = await withRetry(
    async () => {
      attempts++;
      if (attempts < 3) throw new RpcError('CONNECTION_ERROR', `attempt ${attempts}`);
      return 'done';
    },
    () => ({ retry: true }),
    options,
  );
  expect(result).toBe('done');
  expect(attempts).toBe(3);
});

it('gives up after the retries, with the last error, and at once on one not to retry', async () => {
  let attempts = 0;
  const last = await rejectionOf(withRetry(async () => { throw new RpcError('TIMEOUT', `attempt ${++attempts}`); }, () => ({ retry: true, afterMs: 2 }), options));
  expect(last.message).toBe('attempt 3');
  attempts = 0;
  const refused = await rejectionOf(withRetry(async () => { throw new RpcError('VALIDATION_ERROR', `attempt ${++attempts}`); }, () => ({ retry: false }), options));
  expect(refused.message).toBe('attempt 1');
  // Anything thrown becomes an RpcError.
  expect((await rejectionOf(withRetry(async () => { throw new Error('plain'); }, () => ({ retry: false }), options))).codeName).toBe('INTERNAL_ERROR');
});
