/** What the bench and its client processes say to each other over the IPC channel. */

export interface InsertLoad {
  /** `insert`: one row per call; `select`: point selects by primary key over 1..`keys`. */
  kind: 'insert' | 'select';
  socketPath: string;
  table: string;
  /** Calls this client makes: rows it inserts, or point selects it reads. */
  rows: number;
  /** Point selects read keys 1..keys. */
  keys?: number;
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
