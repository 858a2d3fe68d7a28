import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '../../src/ipc/errors.ts';
import { authorizeRpc } from '../../src/server/rpc-policy.ts';

function refusal(method: string, params: unknown, access: 'off' | 'read' | 'write'): RpcError | null {
  try {
    authorizeRpc(method, params, access, 'sqlite');
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(RpcError);
    return error as RpcError;
  }
}

describe('authorizeRpc: what POST /rpc may do at each access level', () => {
  it('write allows every method (the driver and the dispatcher still check them)', () => {
    for (const method of ['insert', 'drop_table', 'execute', 'sync_schema', 'backup', 'no_such_method']) expect(refusal(method, { sql: 'DELETE FROM t' }, 'write')).toBeNull();
  });

  it('off refuses every method, reads and code commands included', () => {
    for (const method of ['ping', 'select', 'list_projects', 'insert']) {
      expect(refusal(method, {}, 'off')).toMatchObject({ code: ErrorCode.PERMISSION_DENIED, data: { method, access: 'off' } });
    }
  });

  it('read allows the reading methods, the code commands, read-only execute and batches of reads', () => {
    for (const method of ['ping', 'stats', 'select', 'vector_search', 'get_table_info', 'list_tables', 'get_schema_version', 'list_projects', 'search_symbols', 'file_tree']) {
      expect(refusal(method, {}, 'read'), method).toBeNull();
    }
    expect(refusal('execute', { sql: 'SELECT 1' }, 'read')).toBeNull();
    expect(refusal('batch', { operations: [{ method: 'select', params: {} }, { method: 'execute', params: { sql: 'SELECT 2' } }] }, 'read')).toBeNull();
  });

  it('read refuses what may write, naming it; malformed params and unknown methods are left to validation', () => {
    for (const method of ['insert', 'insert_many', 'update', 'delete', 'create_table', 'drop_table', 'sync_schema', 'backup', 'optimize', 'checkpoint']) {
      expect(refusal(method, {}, 'read')?.message, method).toMatch(new RegExp(`^${method} is not allowed with read access; writes over HTTP need server.rpc "write"`));
    }
    expect(refusal('execute', { sql: 'UPDATE t SET a = 1' }, 'read')?.message).toMatch(/^execute of SQL that may write \(UPDATE statement\) is not allowed/);
    const batch = refusal('batch', { operations: [{ method: 'select', params: {} }, { method: 'execute', params: { sql: 'SELECT 1 INTO t2' } }] }, 'read');
    expect(batch?.message).toMatch(/^batch operation 1 \(execute of SQL that may write \(INTO\)\) is not allowed/);
    expect(refusal('batch', { operations: [null, { method: 'no_such' }] }, 'read')).toBeNull();
    expect(refusal('execute', { sql: 42 }, 'read')).toBeNull();
    expect(refusal('batch', { operations: 'x' }, 'read')).toBeNull();
    expect(refusal('no_such_method', {}, 'read')).toBeNull();
    expect(refusal('toString', {}, 'read')).toBeNull();
  });
});
