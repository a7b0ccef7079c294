import pg from "pg";
import { PUSH_DECIDED_CHANNEL, PUSH_NEW_CHANNEL } from "./push-schemas";
import { reconnectDelayMs, type TBackoff } from "./reconnect-delay";
import { createPgClient } from "../db/pg-connection";

export type TPushListenerState = "connected" | "reconnecting" | "stopped";

export type TPushListener = {
  // Resolves on the next NOTIFY for this request (or `onReconnect`); the caller re-reads the row.
  nextEvent: (requestId: string, signal: AbortSignal) => Promise<void>;
  onNewRequest: (userId: string, callback: () => void) => () => void;
  waiting: () => number;
  stopped: () => boolean; // after stop, waits end at once (the process is shutting down)
  // For health and tests: the connection's state and how many reconnects were tried since the process started.
  stats: () => { state: TPushListenerState; reconnectAttempts: number; reconnects: number };
  stop: () => Promise<void>;
};

export type TCreatePushListenerOptions = { databaseUrl: string; log?: (line: string) => void; backoff?: Partial<TBackoff> };

// One LISTEN connection per process and a Map of waiters: thousands of pending pushes cost a closure each, no
// polling and no connection each. After a lost connection every waiter is woken to re-read its row (a NOTIFY sent
// while we were away is lost, the row is not).
//
// Reconnecting is ONE loop with capped exponential backoff and jitter: a failed connect used to schedule a retry from
// both its rejection and its 'end' event, so the retries doubled each second (tens of thousands of attempts and log
// lines, a gigabyte of memory per process, within half a minute of a database outage). Logged once per state change.
export const createPushListener = async ({ databaseUrl, log = () => undefined, backoff = {} }: TCreatePushListenerOptions): Promise<TPushListener> => {
  const waiters = new Map<string, Set<() => void>>();
  const newRequests = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let state: TPushListenerState = "connected";
  let reconnectAttempts = 0;
  let reconnects = 0;
  let timer: NodeJS.Timeout | undefined;
  const wakeAll = () => {
    for (const set of waiters.values()) for (const wake of [...set]) wake();
    for (const set of newRequests.values()) for (const wake of [...set]) wake();
  };
  const connect = async (): Promise<pg.Client> => {
    const next = createPgClient(databaseUrl, { keepAlive: true, connectionTimeoutMillis: 3000 });
    // Errors of a client that never connected are the connect's rejection; only a live one's loss starts the loop.
    next.on("error", (error) => lost(next, error));
    next.on("end", () => lost(next));
    next.on("notification", (message) => {
      const target = message.channel === PUSH_DECIDED_CHANNEL ? waiters : newRequests;
      for (const wake of [...(target.get(message.payload ?? "") ?? [])]) wake();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${PUSH_DECIDED_CHANNEL}; LISTEN ${PUSH_NEW_CHANNEL}`);
      return next;
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
  };
  const schedule = (failures: number) => {
    timer = setTimeout(() => void attempt(failures), reconnectDelayMs({ failures, ...backoff }));
    timer.unref();
  };
  const attempt = async (failures: number) => {
    timer = undefined;
    if (state !== "reconnecting") return;
    reconnectAttempts += 1;
    try {
      const next = await connect();
      if (state !== "reconnecting") {
        await next.end().catch(() => undefined);
        return;
      }
      client = next;
      state = "connected";
      reconnects += 1;
      log(`push listener: reconnected after ${failures + 1} attempt(s)`);
      wakeAll();
    } catch {
      schedule(failures + 1);
    }
  };
  function lost(which: pg.Client, error?: Error) {
    if (client !== which || state !== "connected") return;
    client = undefined;
    state = "reconnecting";
    log(`push listener: connection lost (${error?.message ?? "connection ended"}); reconnecting with backoff`);
    void which.end().catch(() => undefined);
    // Waiters re-read their rows now: a decision committed just before the loss must not wait for the reconnect.
    wakeAll();
    schedule(0);
  }
  client = await connect();
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
        if (signal.aborted || state === "stopped") return resolve();
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
    stopped: () => state === "stopped",
    stats: () => ({ state, reconnectAttempts, reconnects }),
    stop: async () => {
      state = "stopped";
      clearTimeout(timer);
      wakeAll();
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
};
