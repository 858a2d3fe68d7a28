import { expect } from 'vitest';
import { RpcError } from '../../src/ipc/errors.ts';

/** The RpcError `work` throws; fails the test when it throws nothing or something else. */
export function thrownBy(work: () => unknown): RpcError {
  let caught: unknown;
  try {
    work();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an RpcError to be thrown').toBeInstanceOf(RpcError);
  return caught as RpcError;
}

/** The RpcError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<RpcError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error ?? new Error('rejected with nothing'),
  );
  expect(caught, 'expected the promise to reject with an RpcError').toBeInstanceOf(RpcError);
  return caught as RpcError;
}
