/**
 * The handshake both runtimes' threads use: a thread posts READY once it listens (messages
 * sent to a thread before its module has loaded would otherwise be lost under Deno), and
 * what the starter posted until then is delivered after it, in order.
 */
export const READY = '__code_analysis_thread_ready__';

export interface StarterChannel {
  /** Send now when the thread listens, else once it does. */
  post(message: unknown): void;
  /** Handle one message from the thread: false for the handshake (nothing to deliver). */
  received(message: unknown): boolean;
}

export function starterChannel(send: (message: unknown) => void): StarterChannel {
  let ready = false;
  const queued: unknown[] = [];
  return {
    post(message) {
      if (ready) send(message);
      else queued.push(message);
    },
    received(message) {
      if (message !== READY) return true;
      ready = true;
      for (const item of queued.splice(0)) send(item);
      return false;
    },
  };
}
