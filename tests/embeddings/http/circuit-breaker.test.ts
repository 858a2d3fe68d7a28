import { expect, it } from 'vitest';
import { RpcError } from '../../../src/ipc/errors.ts';
import { CircuitBreaker } from '../../../src/embeddings/http/circuit-breaker.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

function breaker(failures = 2, openMs = 1000) {
  const clock = { now: 0 };
  const calls = { count: 0 };
  const outage = new RpcError('CONNECTION_ERROR', 'down', { retryable: true });
  const b = new CircuitBreaker('the service', { failures, openMs, now: () => clock.now, isOutage: (error) => error === outage });
  const fail = () => b.run(async () => { calls.count++; throw outage; });
  const succeed = () => b.run(async () => { calls.count++; return 'ok'; });
  return { b, clock, calls, fail, succeed, outage };
}

it('opens after the failures in a row, then fails fast without calling', async () => {
  const { b, calls, fail, succeed, outage } = breaker();
  expect(await rejectionOf(fail())).toBe(outage);
  expect(b.state).toBe('closed');
  expect(await rejectionOf(fail())).toBe(outage);
  expect(b.state).toBe('open');
  const fast = await rejectionOf(succeed());
  expect(fast.codeName).toBe('CONNECTION_ERROR');
  expect(fast.message).toBe('the service is unavailable: 2 calls failed in a row; next try in 1000 ms');
  expect(fast.data).toEqual({ circuit: 'open', retry_after_ms: 1000 });
  expect(calls.count).toBe(2);
});

it('lets one probe through once the open time is over: success closes, failure opens again', async () => {
  const { b, clock, calls, fail, succeed } = breaker();
  await rejectionOf(fail());
  await rejectionOf(fail());
  clock.now = 1000;
  expect(b.state).toBe('half-open');
  await rejectionOf(fail());
  expect(b.state).toBe('open');
  expect((await rejectionOf(succeed())).data?.retry_after_ms).toBe(1000);
  clock.now = 2000;
  expect(await succeed()).toBe('ok');
  expect(b.state).toBe('closed');
  expect(calls.count).toBe(4);
});

it('lets only one probe through at a time', async () => {
  const { b, clock, fail } = breaker();
  await rejectionOf(fail());
  await rejectionOf(fail());
  clock.now = 1000;
  let release!: () => void;
  const probe = b.run(() => new Promise<string>((resolve) => (release = () => resolve('probed'))));
  expect((await rejectionOf(b.run(async () => 'second'))).data?.circuit).toBe('open');
  release();
  expect(await probe).toBe('probed');
  expect(b.state).toBe('closed');
});

it('does not count errors that are no outage, and a success resets the count', async () => {
  const { b, fail, succeed } = breaker(2);
  await rejectionOf(fail());
  await succeed();
  await rejectionOf(fail());
  expect(b.state).toBe('closed');
  const refused = new RpcError('VALIDATION_ERROR', 'bad request');
  await rejectionOf(fail());
  expect(b.state).toBe('open');
  const other = breaker(1);
  await rejectionOf(other.b.run(async () => { throw refused; }));
  expect(other.b.state).toBe('closed');
});
