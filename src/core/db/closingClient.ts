/**
 * A node-postgres Client that closes its socket when connecting fails. pg-pool drops a client
 * whose connect failed without ending it, and when the failure is on the client's side (the
 * server asked for a password and there is none) the server's backend then waits, socket open,
 * for the rest of authentication_timeout (60 s by default); the socket also keeps Node's event
 * loop alive that long. The pool is given this class through its `Client` option.
 */
import { Client } from 'pg';

type ConnectCallback = (error: Error | null, client?: ClosingClient) => void;

export class ClosingClient extends Client {
  // pg-pool calls connect with a callback; the promise form is kept for other callers.
  // Typed loosely: @types/pg declares connect as two overloads no single override matches.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: any[]): any {
    const callback = args[0] as ConnectCallback | undefined;
    if (callback === undefined) {
      return (super.connect() as Promise<unknown>).catch(async (error: unknown) => {
        await this.end().catch(() => undefined);
        throw error;
      });
    }
    super.connect(((error: Error | null) => {
      if (!error) return callback(null, this);
      this.end().then(() => callback(error), () => callback(error));
    }) as (err: Error) => void);
    return undefined;
  }
}
