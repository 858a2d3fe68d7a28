import type { Logger } from '../runtime/logger.ts';
import type { Runtime } from '../runtime/types.ts';
import { ManagedService } from './managed-service.ts';
import type { ServiceSpec } from './service-spec.ts';
import type { ServiceStatus } from './types.ts';

/**
 * The WorkerManager: owns every child process. Starts services one after the other in
 * the order given, each only once the one before is ready, and stops them in reverse.
 */
export class Supervisor {
  private readonly services: ManagedService[] = [];

  constructor(
    private readonly runtime: Runtime,
    private readonly logger: Logger,
  ) {}

  /** Start a service and wait until it is ready; on failure it is not kept. */
  async start(spec: ServiceSpec): Promise<ManagedService> {
    if (this.services.some((service) => service.name === spec.name)) throw new Error(`service ${spec.name} is already supervised`);
    const service = new ManagedService(this.runtime, this.logger, spec);
    await service.start();
    this.services.push(service);
    this.logger.info(`${spec.name} ready, pid ${service.pid}`);
    return service;
  }

  get(name: string): ManagedService | undefined {
    return this.services.find((service) => service.name === name);
  }

  status(): ServiceStatus[] {
    return this.services.map((service) => service.status());
  }

  /** Stop every service, last started first; each gets its own stop timeout. */
  async stopAll(): Promise<void> {
    for (const service of [...this.services].reverse()) {
      this.logger.info(`stopping ${service.name}`);
      await service.stop();
      this.logger.info(`${service.name} stopped`);
    }
    this.services.length = 0;
  }
}
