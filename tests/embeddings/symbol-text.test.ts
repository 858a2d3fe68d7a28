import { expect, it } from 'vitest';
import { bodyLines, SYMBOL_TEXT_FIELDS, symbolText } from '../../src/embeddings/symbol-text.ts';

it('puts one field a line: title (qualified name and file), signature, docstring on one line, members, then the body', () => {
  const text = symbolText({
    name: 'raw_decode',
    qualified_name: 'JSONDecoder.raw_decode',
    path: 'json/decoder.py',
    signature: 'def raw_decode(self, s, idx=0)',
    docstring: 'Decode a JSON document.\n\n    Returns a tuple.',
    members: ['inner'],
    body: ['  try:', 'obj, end = self.scan_once(s, idx)'],
  });
  expect(SYMBOL_TEXT_FIELDS).toEqual(['title', 'signature', 'docstring', 'members', 'body']);
  expect(text.split('\n')).toEqual([
    'JSONDecoder.raw_decode in json/decoder.py',
    'def raw_decode(self, s, idx=0)',
    'Decode a JSON document. Returns a tuple.',
    'inner',
    'try:',
    'obj, end = self.scan_once(s, idx)',
  ]);
});

it('keeps the line of an absent field, so the fields stay where the builtin model looks for them', () => {
  const text = symbolText({ name: 'f', qualified_name: 'f', path: 'a.js', signature: null, docstring: null, members: [], body: [] });
  expect(text).toBe('f in a.js\n\n\n');
});

it('cuts a very long docstring', () => {
  const text = symbolText({ name: 'f', qualified_name: 'f', path: 'a.py', signature: null, docstring: 'word '.repeat(1000), members: [], body: [] });
  expect(text.split('\n')[2]!.length).toBe(1500);
});

const SOURCE = `class Queue:
    """Create a queue object.

    If maxsize is <= 0, the queue size is infinite.
    """

    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        # the mutex
        self.mutex = threading.Lock()
`.split('\n');

it("takes the body's first lines without blank lines and without the symbol's own docstring", () => {
  const docstring = 'Create a queue object.\n\nIf maxsize is <= 0, the queue size is infinite.';
  expect(bodyLines(SOURCE, { line_start: 1, line_end: 10, docstring })).toEqual([
    'def __init__(self, maxsize=0):',
    'self.maxsize = maxsize',
    '# the mutex',
    'self.mutex = threading.Lock()',
  ]);
  expect(bodyLines(SOURCE, { line_start: 1, line_end: 10, docstring }, 2)).toEqual(['def __init__(self, maxsize=0):', 'self.maxsize = maxsize']);
  // Without a docstring nothing is taken for one; past the end of the file nothing breaks.
  expect(bodyLines(SOURCE, { line_start: 7, line_end: 400, docstring: null })).toEqual(['self.maxsize = maxsize', '# the mutex', 'self.mutex = threading.Lock()']);
});
