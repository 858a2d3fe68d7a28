import type { CorpusFile } from '../../src/embeddings/builtin/builtin-model.ts';
import { symbolText } from '../../src/embeddings/symbol-text.ts';

/** A symbol of the small corpus: name, file and docstring; the rest of its text left empty. */
export function definitionText(name: string, path: string, docstring: string): string {
  return symbolText({ name, qualified_name: name, path, signature: `def ${name}()`, docstring, members: [], body: [] });
}

/**
 * A small corpus with three topics (caching, networking, compression), whose files use
 * related words together, so a model learnt from it relates them: what the builtin model
 * tests look for. Plus one test file, which fittingDocuments leaves out.
 */
export const TOPICAL_FILES: CorpusFile[] = [
  { path: 'cache/lru.py', texts: [definitionText('lru_cache', 'cache/lru.py', 'A memo of results: evict the least recently used entry when the cache is full.'), definitionText('evict', 'cache/lru.py', 'Evict old cache entries.')] },
  { path: 'cache/memo.py', texts: [definitionText('memoize', 'cache/memo.py', 'Memo of results: the cache keeps each result of a call.'), definitionText('clear_cache', 'cache/memo.py', 'Clear the memo cache.')] },
  { path: 'cache/store.py', texts: [definitionText('ResultStore', 'cache/store.py', 'Keep computed results to reuse them, a cache that may evict.'), definitionText('lookup', 'cache/store.py', 'Find a stored result in the cache.')] },
  { path: 'net/socket.py', texts: [definitionText('connect', 'net/socket.py', 'Open a socket connection to a host and port.'), definitionText('send', 'net/socket.py', 'Send bytes over the socket connection.')] },
  { path: 'net/server.py', texts: [definitionText('listen', 'net/server.py', 'Accept socket connections on a port of this host.'), definitionText('receive', 'net/server.py', 'Receive bytes from a connection.')] },
  { path: 'net/client.py', texts: [definitionText('Client', 'net/client.py', 'A client that connects to a host, sends requests and receives replies.'), definitionText('reconnect', 'net/client.py', 'Connect again when the connection drops.')] },
  { path: 'zip/gzip.py', texts: [definitionText('compress', 'zip/gzip.py', 'Compress data with gzip deflate.'), definitionText('decompress', 'zip/gzip.py', 'Decompress gzip data: inflate what deflate made.')] },
  { path: 'zip/zlib.py', texts: [definitionText('deflate', 'zip/zlib.py', 'Deflate bytes: zlib compression.'), definitionText('inflate', 'zip/zlib.py', 'Inflate deflated bytes, decompress zlib data.')] },
  { path: 'zip/archive.py', texts: [definitionText('ZipArchive', 'zip/archive.py', 'An archive of compressed files, gzip or deflate.'), definitionText('extract', 'zip/archive.py', 'Decompress the files of the archive.')] },
  { path: 'test/test_cache.py', texts: [definitionText('test_lru', 'test/test_cache.py', 'assert assert assert frobnicate frobnicate')] },
];
