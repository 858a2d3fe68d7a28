import { RpcError } from '../../ipc/errors.ts';
import type { LsiModel, LsiParameters } from './lsi-model.ts';

/**
 * A fitted builtin model as bytes, so it can be stored (phase 2 keeps it in the database)
 * and every process embeds with the same one. Layout, little-endian:
 *   "CALSI001" | u32 header length | header JSON | u32 terms length | terms, '\n'-separated
 *   | padding to 4 | projection (terms × dimension float32)
 */
const MAGIC = 'CALSI001';

interface Header {
  parameters: LsiParameters;
  terms: number;
  dimension: number;
  documents: number;
  singular_values: number[];
}

const align4 = (n: number) => (n + 3) & ~3;

export function encodeLsiModel(model: LsiModel): Uint8Array {
  const encoder = new TextEncoder();
  const header: Header = {
    parameters: model.parameters,
    terms: model.terms.length,
    dimension: model.dimension,
    documents: model.documents,
    singular_values: Array.from(model.singularValues),
  };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const termBytes = encoder.encode(model.terms.join('\n'));
  const projectionAt = align4(MAGIC.length + 4 + headerBytes.length + 4 + termBytes.length);
  const bytes = new Uint8Array(projectionAt + model.projection.length * 4);
  const view = new DataView(bytes.buffer);
  bytes.set(encoder.encode(MAGIC), 0);
  let at = MAGIC.length;
  view.setUint32(at, headerBytes.length, true);
  bytes.set(headerBytes, (at += 4));
  view.setUint32((at += headerBytes.length), termBytes.length, true);
  bytes.set(termBytes, (at += 4));
  for (let i = 0; i < model.projection.length; i++) view.setFloat32(projectionAt + i * 4, model.projection[i]!, true);
  return bytes;
}

const invalid = (reason: string, data: Record<string, unknown> = {}) =>
  new RpcError('VALIDATION_ERROR', `not a builtin embedding model: ${reason}`, { field: 'model', ...data });

export function decodeLsiModel(bytes: Uint8Array): LsiModel {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  if (bytes.length < MAGIC.length + 8 || decoder.decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw invalid(`it does not start with ${MAGIC}`, { bytes: bytes.length });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = MAGIC.length;
  const headerLength = view.getUint32(at, true);
  if ((at += 4) + headerLength + 4 > bytes.length) throw invalid('its header runs past its end', { header_bytes: headerLength, bytes: bytes.length });
  let header: Header;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(at, (at += headerLength)))) as Header;
  } catch (error) {
    throw invalid(`its header is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const termsLength = view.getUint32(at, true);
  if ((at += 4) + termsLength > bytes.length) throw invalid('its vocabulary runs past its end', { terms_bytes: termsLength, bytes: bytes.length });
  const terms = termsLength === 0 ? [] : decoder.decode(bytes.subarray(at, at + termsLength)).split('\n');
  const projectionAt = align4(at + termsLength);
  const values = header.terms * header.dimension;
  if (terms.length !== header.terms || projectionAt + values * 4 !== bytes.length) {
    throw invalid('its sizes do not match its header', { terms: terms.length, header_terms: header.terms, dimension: header.dimension, bytes: bytes.length });
  }
  const projection = new Float32Array(values);
  for (let i = 0; i < values; i++) projection[i] = view.getFloat32(projectionAt + i * 4, true);
  return {
    parameters: header.parameters,
    terms,
    dimension: header.dimension,
    projection,
    documents: header.documents,
    singularValues: Float32Array.from(header.singular_values),
  };
}
