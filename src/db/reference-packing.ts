import { RpcError } from '../ipc/errors.ts';
import type { ParsedReference, ReferenceKind } from './code-types.ts';

/**
 * How a file's references are stored: a row per identifier use would not fit the size
 * budget (a large tree has millions of uses), so each file keeps one row of
 * - `names`: the distinct names it uses, sorted, one a line (what the name search indexes);
 * - `positions`: for each name in that order, the number of its uses, then for each use
 *   (by line, then column) the line as a difference from the previous use's line and
 *   `(column - 1) * 8 + kind`, all unsigned LEB128 varints — about three bytes a use.
 */
export interface PackedReferences {
  names: string;
  positions: Uint8Array;
}

const KINDS: readonly ReferenceKind[] = ['call', 'attribute', 'import', 'type', 'name'];
const KIND_CODES = new Map(KINDS.map((kind, code) => [kind, code]));
const KIND_BITS = 3;

class VarintWriter {
  private bytes = new Uint8Array(256);
  length = 0;

  write(value: number): void {
    if (this.length + 8 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[this.length++] = rest;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function invalid(index: number, field: string, value: unknown, expected: string): RpcError {
  return new RpcError('VALIDATION_ERROR', `references[${index}].${field} must be ${expected}, got ${JSON.stringify(value)}`, {
    field: `references[${index}].${field}`,
  });
}

function check(reference: ParsedReference, index: number): void {
  if (typeof reference.name !== 'string' || reference.name === '' || reference.name.includes('\n')) {
    throw invalid(index, 'name', reference.name, 'a non-empty name on one line');
  }
  if (!Number.isSafeInteger(reference.line) || reference.line < 1) throw invalid(index, 'line', reference.line, 'a whole number ≥ 1');
  if (!Number.isSafeInteger(reference.column) || reference.column < 1) throw invalid(index, 'column', reference.column, 'a whole number ≥ 1');
  if (!KIND_CODES.has(reference.kind)) throw invalid(index, 'kind', reference.kind, `one of ${KINDS.join(', ')}`);
}

const byPosition = (a: ParsedReference, b: ParsedReference) => a.line - b.line || a.column - b.column || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Pack a file's references; a malformed one is a VALIDATION_ERROR naming it. */
export function packReferences(references: readonly ParsedReference[]): PackedReferences {
  const byName = new Map<string, ParsedReference[]>();
  references.forEach((reference, index) => {
    check(reference, index);
    const uses = byName.get(reference.name);
    if (uses) uses.push(reference);
    else byName.set(reference.name, [reference]);
  });
  const names = [...byName.keys()].sort();
  const out = new VarintWriter();
  for (const name of names) {
    const uses = byName.get(name)!.sort(byPosition);
    out.write(uses.length);
    let line = 0;
    for (const use of uses) {
      out.write(use.line - line);
      out.write((use.column - 1) * (1 << KIND_BITS) + KIND_CODES.get(use.kind)!);
      line = use.line;
    }
  }
  return { names: names.join('\n'), positions: out.result() };
}

/** The names a packed row holds, in stored order. */
export function packedNames(names: string): string[] {
  return names === '' ? [] : names.split('\n');
}

/**
 * The references of a packed row, all of them or those of one name, by line then column.
 * A damaged row (positions that do not match its names) is an INTERNAL_ERROR, never a
 * wrong answer.
 */
export function unpackReferences(packed: PackedReferences, only?: string): ParsedReference[] {
  const { positions } = packed;
  let at = 0;
  const read = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= positions.length) throw new RpcError('INTERNAL_ERROR', 'stored references are damaged: their positions end early');
      const byte = positions[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  const found: ParsedReference[] = [];
  for (const name of packedNames(packed.names)) {
    const count = read();
    let line = 0;
    for (let i = 0; i < count; i++) {
      line += read();
      const code = read();
      const kind = KINDS[code % (1 << KIND_BITS)];
      if (!kind) throw new RpcError('INTERNAL_ERROR', `stored references are damaged: kind code ${code % (1 << KIND_BITS)}`);
      if (only === undefined || name === only) found.push({ name, line, column: Math.floor(code / (1 << KIND_BITS)) + 1, kind });
    }
    if (name === only) break;
  }
  return only === undefined ? found.sort(byPosition) : found;
}

/** A blob as the driver answers it (`{"$blob": "<base64>"}`), as bytes. */
export function blobBytes(value: unknown): Uint8Array {
  const data = (value as { $blob?: unknown } | null)?.$blob;
  if (typeof data !== 'string') throw new RpcError('INTERNAL_ERROR', `expected a blob from the database, got ${JSON.stringify(value)?.slice(0, 80)}`);
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
