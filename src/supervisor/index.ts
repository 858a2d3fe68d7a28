export { ManagedService } from './managed-service.ts';
export { type RestartDecision, RestartPolicy, type RestartPolicyOptions } from './restart-policy.ts';
export { readServeInfo, type ServeInfo, ServeInfoSchema, writeServeInfo } from './serve-info.ts';
export { runServe, type ServeOptions } from './serve.ts';
export type { RunningChild, ServiceSpec } from './service-spec.ts';
export { driverService, type Launch, workerService } from './services.ts';
export { Supervisor } from './supervisor.ts';
export type { ServiceHealth, ServiceKind, ServiceState, ServiceStatus, SupervisorStatus } from './types.ts';
