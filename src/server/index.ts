export { type AppOptions, createApp, DEFAULT_MAX_BODY_BYTES, DEFAULT_PING_TIMEOUT_MS } from './app.ts';
export { HttpServerError, type HttpServerErrorCode, startHttpServer, type StartHttpServerOptions } from './http-server.ts';
export { isLoopbackHost } from './loopback.ts';
export { MAX_BATCH_REQUESTS } from './rpc.ts';
