import pg from "pg";
import { PUSH_DECIDED_CHANNEL, PUSH_NEW_CHANNEL } from "./push-schemas";
import { createPgClient } from "../db/pg-connection";

export type TPushListener = {
  // Resolves on the next NOTIFY for this request (or `onReconnect`); the caller re-reads the row.
  nextEvent: (requestId: string, signal: AbortSignal) => Promise<void>;
  onNewRequest: (userId: string, callback: () => void) => () => void;
  waiting: () => number;
  stopped: () => boolean; // after stop, waits end at once (the process is shutting down)
  stop: () => Promise<void>;
};

// One LISTEN connection per process and a Map of waiters: thousands of pending pushes cost a closure each, no
// polling and no connection each. After a lost connection every waiter is woken to re-read its row (a NOTIFY sent
// while we were away is lost, the row is not).
export const createPushListener = async ({ databaseUrl, log = () => undefined }: { databaseUrl: string; log?: (line: string) => void }): Promise<TPushListener> => {
  const waiters = new Map<string, Set<() => void>>();
  const newRequests = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let stopped = false;
  const wakeAll = () => {
    for (const set of waiters.values()) for (const wake of [...set]) wake();
    for (const set of newRequests.values()) for (const wake of [...set]) wake();
  };
  const connect = async (): Promise<void> => {
    const next = createPgClient(databaseUrl, { keepAlive: true, connectionTimeoutMillis: 3000 });
    next.on("notification", (message) => {
      const target = message.channel === PUSH_DECIDED_CHANNEL ? waiters : newRequests;
      for (const wake of [...(target.get(message.payload ?? "") ?? [])]) wake();
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost || stopped) return;
      lost = true;
      log(`push listener: ${error?.message ?? "connection ended"}`);
      if (client === next) client = undefined;
      void next.end().catch(() => undefined);
      setTimeout(() => void reconnect(), 1000).unref();
    };
    next.on("error", onLost);
    next.on("end", () => onLost());
    await next.connect();
    await next.query(`LISTEN ${PUSH_DECIDED_CHANNEL}; LISTEN ${PUSH_NEW_CHANNEL}`);
    client = next;
  };
  const reconnect = async () => {
    if (stopped || client) return;
    try {
      await connect();
      wakeAll();
    } catch (error) {
      log(`push listener reconnect: ${error instanceof Error ? error.message : String(error)}`);
      setTimeout(() => void reconnect(), 1000).unref();
    }
  };
  await connect();
  const add = (map: Map<string, Set<() => void>>, key: string, wake: () => void) => {
    const set = map.get(key) ?? new Set();
    set.add(wake);
    map.set(key, set);
    return () => {
      set.delete(wake);
      if (set.size === 0) map.delete(key);
    };
  };
  return {
    nextEvent: (requestId, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted || stopped) return resolve();
        const done = () => {
          remove();
          signal.removeEventListener("abort", done);
          resolve();
        };
        const remove = add(waiters, requestId, done);
        signal.addEventListener("abort", done, { once: true });
      }),
    onNewRequest: (userId, callback) => add(newRequests, userId, callback),
    waiting: () => [...waiters.values()].reduce((sum, set) => sum + set.size, 0),
    stopped: () => stopped,
    stop: async () => {
      stopped = true;
      wakeAll();
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
};
