import pg from "pg";
import { parseDatabaseUrl, type TDatabaseHost, type TDatabaseTarget } from "./parse-database-url";

// node-postgres connects to one host. A multi-host DATABASE_URL (libpq's failover form) gets a Client class that, at
// each new connection, goes to the host that last answered as writable and otherwise walks the list for one: after
// a failover the old primary refuses or answers read-only, and the first new connection finds the promoted server.
// Every pool and client of the process shares that knowledge (one entry per URL).

type TConnectCallback = (error?: Error) => void;
type TInternalConnect = (this: pg.Client, callback: TConnectCallback) => void;

// The host answered, but only as a standby. Classified as an outage (lib/second-factor/classify-database-failure.ts):
// nobody outside the database can make a primary read-only. A refused connection is passed on as pg's own error.
export class NoWritableDatabaseError extends Error {
  readonly code = "TWOFOLD_NO_WRITABLE_DATABASE";
  constructor(readonly host: string) {
    super(`no writable PostgreSQL: ${host} is read-only (a standby); the next connection tries the next host`);
    this.name = "NoWritableDatabaseError";
  }
}

const internalConnect = (): TInternalConnect => {
  const method: unknown = Reflect.get(pg.Client.prototype, "_connect");
  if (typeof method !== "function") throw new Error("pg.Client has no _connect: the pg version is not supported for multi-host URLs");
  return method as TInternalConnect;
};

const isWritable = async (client: pg.Client, target: TDatabaseTarget): Promise<boolean> => {
  if (!target.requireWritable) return true;
  const result = await client.query<{ transaction_read_only: string }>("SHOW transaction_read_only");
  return result.rows[0]?.transaction_read_only === "off";
};

type TTargetState = { target: TDatabaseTarget; current: number };
const states = new Map<string, TTargetState>();

const stateFor = (url: string): TTargetState => {
  let state = states.get(url);
  if (!state) {
    state = { target: parseDatabaseUrl(url), current: 0 };
    states.set(url, state);
  }
  return state;
};

const failoverClientClass = (state: TTargetState): typeof pg.Client => {
  const connectOnce = internalConnect();
  const { target } = state;
  return class FailoverClient extends pg.Client {
    _connect(callback: TConnectCallback): void {
      // One host per Client: pg cannot reconnect a Client whose connection failed. A failure moves the process on to
      // the next host, so the pool's next connection (or the probe's next attempt) tries it. The driver's own error is
      // passed on unchanged, so a refused password stays "reachable" for the fail-mode decision.
      const index = state.current % target.hosts.length;
      const host: TDatabaseHost = target.hosts[index]!;
      const advance = () => {
        if (state.current === index) state.current = (index + 1) % target.hosts.length;
      };
      // pg reads these at connect time (and for cancel requests); the rest of the parameters are the URL's.
      this.host = host.host;
      this.port = host.port;
      const parameters: unknown = Reflect.get(this, "connectionParameters");
      if (parameters && typeof parameters === "object") Object.assign(parameters, { host: host.host, port: host.port });
      connectOnce.call(this, (error?: Error) => {
        if (error) {
          advance();
          return callback(error);
        }
        isWritable(this, target).then(
          (writable) => {
            if (writable) return callback();
            advance();
            void this.end().catch(() => undefined);
            callback(new NoWritableDatabaseError(`${host.host}:${host.port}`));
          },
          (checkError: unknown) => callback(checkError instanceof Error ? checkError : new Error(String(checkError))),
        );
      });
    }
  };
};

const needsFailover = (target: TDatabaseTarget) => target.hosts.length > 1 || target.requireWritable;

// The pg options for a pool (also Prisma's adapter, which passes them to pg.Pool): unchanged for a single-host URL.
export const pgPoolConfig = (url: string, options: Omit<pg.PoolConfig, "connectionString"> = {}): pg.PoolConfig => {
  const state = stateFor(url);
  if (!needsFailover(state.target)) return { ...options, connectionString: url };
  return { ...options, connectionString: state.target.url, Client: failoverClientClass(state) };
};

export const createPgClient = (url: string, options: Omit<pg.ClientConfig, "connectionString"> = {}): pg.Client => {
  const state = stateFor(url);
  if (!needsFailover(state.target)) return new pg.Client({ ...options, connectionString: url });
  const Client = failoverClientClass(state);
  return new Client({ ...options, connectionString: state.target.url });
};
