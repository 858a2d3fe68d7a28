import { expect, it } from 'vitest';
import { subwords } from '../../src/embeddings/subwords.ts';

it('cuts snake_case, camelCase and upper-case runs into lower-case words', () => {
  expect(subwords('snake_case')).toEqual(['snake', 'case']);
  expect(subwords('camelCase')).toEqual(['camel', 'case']);
  expect(subwords('HTTPServer')).toEqual(['http', 'server']);
  expect(subwords('parseHTTPResponse_v2')).toEqual(['parse', 'http', 'response', 'v', '2']);
  expect(subwords('__init__')).toEqual(['init']);
  expect(subwords('#private $jquery')).toEqual(['private', 'jquery']);
});

it('reads prose and code alike: punctuation separates, letters of any script stay words', () => {
  expect(subwords('Return the JSONDecoder.raw_decode() result; über-fast Größe')).toEqual([
    'return', 'the', 'json', 'decoder', 'raw', 'decode', 'result', 'über', 'fast', 'größe',
  ]);
  expect(subwords('日本語 text')).toEqual(['日本語', 'text']);
  expect(subwords('  ')).toEqual([]);
});
