export { type ChildEvent, ChildEventSchema, formatChildEvent, parseChildEvent } from './child-events.ts';
export { ErrorCode, type ErrorCodeName, type ErrorCodeNumber, type ErrorData, errorCodeName, RpcError } from './errors.ts';
export { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder, HEADER_BYTES } from './frame-codec.ts';
export {
  errorResponse,
  type Params,
  ParamsSchema,
  type Priority,
  PrioritySchema,
  type RequestId,
  RequestSchema,
  type RpcRequest,
  type RpcResponse,
  ResponseSchema,
  successResponse,
  type WireError,
} from './messages.ts';
export { type PinnedCaller, RpcClient, type RpcClientOptions } from './rpc-client.ts';
export { RpcConnection } from './rpc-connection.ts';
export { RpcServer, type RpcServerOptions } from './rpc-server.ts';
export type { CallOptions, ClientHello, RpcCaller, RpcHandler, ServerConnection } from './types.ts';
export { ConnectionFlow, DEFAULT_FLOW_LIMITS, type FlowLimits } from './connection-flow.ts';
export { describePath, MAX_NESTING_DEPTH, pathTooDeep } from './nesting.ts';
export { decodeMessage, parseRequest, salvageId } from './request-parser.ts';
export { validate } from './validate.ts';
