import type { Priority } from '../../ipc/messages.ts';
import type { ServerConnection } from '../../ipc/types.ts';

/** What the driver knows of one client connection (named by `hello`). */
export interface Session {
  client: string;
  priority: Priority | undefined;
  /** Said `hello {role: "owner"}`: may change protected tables. */
  owner: boolean;
  readonly sessionId: string;
}

/** The sessions of the open connections; tells the owner when a connection closes. */
export class Sessions {
  private readonly byConnection = new Map<number, Session>();

  constructor(private readonly onClosed: (connectionId: number) => void) {}

  get size(): number {
    return this.byConnection.size;
  }

  /** Open connections that said hello with role "owner". */
  get owners(): number {
    let owners = 0;
    for (const session of this.byConnection.values()) if (session.owner) owners++;
    return owners;
  }

  of(connection: ServerConnection): Session {
    let session = this.byConnection.get(connection.id);
    if (!session) {
      session = {
        client: `connection-${connection.id}`,
        priority: undefined,
        owner: false,
        sessionId: `s-${connection.id}-${crypto.randomUUID().slice(0, 8)}`,
      };
      this.byConnection.set(connection.id, session);
      connection.onClose(() => {
        this.byConnection.delete(connection.id);
        this.onClosed(connection.id);
      });
    }
    return session;
  }
}
