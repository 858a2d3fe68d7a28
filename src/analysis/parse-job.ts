import type { StoredContent } from '../db/code-writes.ts';
import { type PackedReferences, packReferences } from '../db/reference-packing.ts';
import type { FileSystem } from '../runtime/types.ts';
import type { Language, SourceParser } from './types.ts';

/** One file to parse, and the hash the index holds for it (null: not indexed yet). */
export interface ParseJob {
  absolute: string;
  language: Language;
  knownHash: string | null;
  /** Its size as the walk saw it, when known: large files are left to the threads. */
  size?: number;
}

/** What became of it: unchanged content (same hash), or what to store. */
export type ParseOutcome =
  | { unchanged: true; size: number; hash: string }
  | { unchanged: false; size: number; hash: string; lines: number; content: StoredContent };

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/** A file's bytes and their hash: the part of a job that waits on I/O. */
export interface ReadFile {
  bytes: Uint8Array;
  hash: string;
}

export async function readJob(fs: FileSystem, job: ParseJob): Promise<ReadFile> {
  const bytes = await fs.readBytes(job.absolute);
  return { bytes, hash: await sha256(bytes) };
}

/**
 * Read, hash, and (when the content is new) parse one file into the rows the index
 * stores, references packed. The same work in a parse thread and in process; a file that
 * cannot be read rejects, one that does not parse comes back with its error. `read`: the
 * file read ahead (readJob), so that a thread does not wait on it between two parses.
 */
export async function runParseJob(fs: FileSystem, parser: SourceParser, job: ParseJob, read: Promise<ReadFile> = readJob(fs, job)): Promise<ParseOutcome> {
  const { bytes, hash } = await read;
  if (hash === job.knownHash) return { unchanged: true, size: bytes.length, hash };
  const source = new TextDecoder().decode(bytes);
  const parsed = await parser.parse(source, job.language);
  let references: PackedReferences;
  let error = parsed.error;
  try {
    references = packReferences(parsed.references);
  } catch (failure) {
    // Stored without them, saying why, rather than failed again at every scan.
    references = packReferences([]);
    error = [error, `references not stored: ${(failure as Error).message}`].filter(Boolean).join('; ');
  }
  return { unchanged: false, size: bytes.length, hash, lines: countLines(source), content: { symbols: parsed.symbols, references, error } };
}

/** A file the parser could not get through (its thread died on it twice): stored empty with why, so it is not retried until it changes. */
export async function unparsedOutcome(fs: FileSystem, job: ParseJob, reason: string): Promise<ParseOutcome> {
  const bytes = await fs.readBytes(job.absolute);
  return {
    unchanged: false,
    size: bytes.length,
    hash: await sha256(bytes),
    lines: countLines(new TextDecoder().decode(bytes)),
    content: { symbols: [], references: packReferences([]), error: reason },
  };
}
