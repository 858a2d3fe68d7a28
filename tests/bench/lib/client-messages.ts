/** What the bench and its insert-client processes say to each other over the IPC channel. */

export interface InsertLoad {
  socketPath: string;
  table: string;
  /** Rows this client inserts, one `insert` call each. */
  rows: number;
  /** Calls this client keeps in flight at once, pipelined on its one connection. */
  callers: number;
  /** Keeps the `name` column distinct across clients. */
  clientIndex: number;
}

export type ToClient = { type: 'prepare'; load: InsertLoad } | { type: 'go' };

export type FromClient =
  | { type: 'online' }
  /** Connected and warmed up; waiting for `go`. */
  | { type: 'ready' }
  | { type: 'done'; latenciesUs: number[] }
  | { type: 'failed'; message: string };
