import { describe, expect, it } from 'vitest';
import { formatChildEvent, parseChildEvent } from '../../src/ipc/child-events.ts';
import { splitLines } from '../../src/supervisor/line-splitter.ts';

describe('child events', () => {
  it('round-trip through a JSON line', () => {
    const line = formatChildEvent({ event: 'progress', details: { files: 3 } });
    expect(line.endsWith('\n')).toBe(true);
    expect(parseChildEvent(line.trim())).toEqual({ event: 'progress', details: { files: 3 } });
  });

  it('ordinary log lines and look-alikes are not events', () => {
    expect(parseChildEvent('{"level":"info","message":"hello"}')).toBeNull();
    expect(parseChildEvent('{"event":"explode"}')).toBeNull();
    expect(parseChildEvent('{"event": broken')).toBeNull();
    expect(parseChildEvent('plain text with "event"')).toBeNull();
  });
});

describe('splitLines', () => {
  it('yields whole lines across chunk and UTF-8 boundaries, and the unterminated tail at the end', () => {
    const lines: string[] = [];
    const splitter = splitLines((line) => lines.push(line));
    const bytes = new TextEncoder().encode('first\nsé');
    splitter.push(bytes.subarray(0, bytes.length - 1));
    splitter.push(bytes.subarray(bytes.length - 1));
    splitter.push(new TextEncoder().encode('cond\n\nlast'));
    expect(lines).toEqual(['first', 'sécond', '']);
    splitter.end();
    expect(lines).toEqual(['first', 'sécond', '', 'last']);
  });
});
