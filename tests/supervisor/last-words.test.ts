import { expect, it } from 'vitest';
import { failureReason } from '../../src/supervisor/last-words.ts';

it('failureReason reads why a child fails from a line of its stderr', () => {
  expect(failureReason('code-analysis: file is not a database')).toBe('file is not a database');
  expect(failureReason('Segmentation fault')).toBe('Segmentation fault');
  expect(failureReason(JSON.stringify({ level: 'error', message: 'cannot open x' }))).toBe('cannot open x');
  expect(failureReason(JSON.stringify({ level: 'fatal', message: 'boom' }))).toBe('boom');
  expect(failureReason(JSON.stringify({ level: 'info', message: 'ready' }))).toBeNull();
  expect(failureReason(JSON.stringify({ level: 'error', message: 42 }))).toBeNull();
  expect(failureReason('{truncated json')).toBe('{truncated json');
  expect(failureReason('   ')).toBeNull();
});
