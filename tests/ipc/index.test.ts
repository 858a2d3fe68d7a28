import { describe, expect, it } from 'vitest';
import * as ipc from '../../src/ipc/index.ts';
import { ErrorCode, RpcError } from '../../src/ipc/errors.ts';
import { encodeFrame, FrameDecoder } from '../../src/ipc/frame-codec.ts';
import { RpcClient } from '../../src/ipc/rpc-client.ts';
import { RpcConnection } from '../../src/ipc/rpc-connection.ts';
import { RpcServer } from '../../src/ipc/rpc-server.ts';
import { validate } from '../../src/ipc/validate.ts';

describe('src/ipc/index.ts', () => {
  it('re-exports the public API of the wire protocol', () => {
    expect(ipc.RpcError).toBe(RpcError);
    expect(ipc.ErrorCode).toBe(ErrorCode);
    expect(ipc.encodeFrame).toBe(encodeFrame);
    expect(ipc.FrameDecoder).toBe(FrameDecoder);
    expect(ipc.RpcClient).toBe(RpcClient);
    expect(ipc.RpcConnection).toBe(RpcConnection);
    expect(ipc.RpcServer).toBe(RpcServer);
    expect(ipc.validate).toBe(validate);
    expect(ipc.MAX_NESTING_DEPTH).toBe(1000);
    expect(ipc.salvageId({ id: 3 })).toBe(3);
    expect(ipc.successResponse(0, undefined)).toEqual({ jsonrpc: '2.0', id: 0, result: null });
    expect(ipc.errorResponse(null, { code: 1, message: 'm' })).toEqual({ jsonrpc: '2.0', id: null, error: { code: 1, message: 'm' } });
  });
});
