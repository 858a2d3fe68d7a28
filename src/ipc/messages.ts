import * as v from 'valibot';

/** JSON-RPC 2.0 messages of the wire protocol (DESIGN §3), the single source of their types. */

export const RequestIdSchema = v.union([v.string(), v.number()]);
export type RequestId = v.InferOutput<typeof RequestIdSchema>;

export const PrioritySchema = v.picklist(['critical', 'high', 'normal', 'low']);
export type Priority = v.InferOutput<typeof PrioritySchema>;

export const ParamsSchema = v.custom<Record<string, unknown>>(
  (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
  'params must be an object',
);
export type Params = v.InferOutput<typeof ParamsSchema>;

export const RequestSchema = v.object({
  jsonrpc: v.literal('2.0', 'jsonrpc must be "2.0"'),
  id: RequestIdSchema,
  method: v.pipe(v.string(), v.minLength(1, 'method must not be empty')),
  params: v.optional(ParamsSchema),
  priority: v.optional(PrioritySchema),
  timeout_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});
export type RpcRequest = v.InferOutput<typeof RequestSchema>;

export const WireErrorSchema = v.object({
  code: v.number(),
  message: v.string(),
  data: v.optional(v.unknown()),
});
export type WireError = v.InferOutput<typeof WireErrorSchema>;

export const ResponseSchema = v.union([
  v.object({ jsonrpc: v.literal('2.0'), id: v.nullable(RequestIdSchema), result: v.unknown() }),
  v.object({ jsonrpc: v.literal('2.0'), id: v.nullable(RequestIdSchema), error: WireErrorSchema }),
]);
export type RpcResponse = v.InferOutput<typeof ResponseSchema>;

export function successResponse(id: RequestId, result: unknown): RpcResponse {
  return { jsonrpc: '2.0', id, result: result ?? null };
}

export function errorResponse(id: RequestId | null, error: WireError): RpcResponse {
  return { jsonrpc: '2.0', id, error };
}
