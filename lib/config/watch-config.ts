import pg from "pg";
import type { TPrisma } from "../db";
import { createConfigPrisma } from "./create-config-prisma";
import { loadConfigSnapshot } from "./load-config-snapshot";
import type { TConfigSnapshot } from "./snapshot-schema";
import { createPgClient } from "../db/pg-connection";

export type TConfigWatcher = {
  current: () => TConfigSnapshot;
  reload: () => Promise<void>;
  stop: () => Promise<void>;
};

export type TWatchConfigOptions = {
  databaseUrl: string;
  // Defaults to a small client of its own. Prefer that in a busy worker: a reload then never queues for a connection
  // behind request traffic.
  prisma?: TPrisma;
  secretKey?: Buffer;
  onSnapshot?: (snapshot: TConfigSnapshot, previous: TConfigSnapshot) => void;
  onError?: (error: unknown) => void;
  log?: (line: string) => void;
  debounceMs?: number;
  maxBackoffMs?: number;
  // Safety net for a listener connection that died silently (no NOTIFY ever arrives): compare versions now and then.
  pollMs?: number;
  loadTimeoutMs?: number;
};

const describe = (snapshot: TConfigSnapshot): string =>
  `config version ${snapshot.version} served (${snapshot.clients.length} clients, ${snapshot.applications.length} applications, ` +
  `${snapshot.problems.length} problems, loaded in ${Date.now() - snapshot.loadedAt.getTime()} ms)`;

// Loads the snapshot, then follows `NOTIFY twofold_config` and swaps in each new snapshot. The database going away
// never drops the snapshot in use: the watcher reconnects with capped backoff and reloads on reconnect.
export const watchConfig = async (options: TWatchConfigOptions): Promise<TConfigWatcher> => {
  const log = options.log ?? (() => {});
  const ownPrisma = options.prisma ? undefined : createConfigPrisma({ databaseUrl: options.databaseUrl, max: 2 });
  const prisma = options.prisma ?? ownPrisma!;
  const debounceMs = options.debounceMs ?? 20;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const loadTimeoutMs = options.loadTimeoutMs ?? 20_000;
  let stopped = false;
  let listener: pg.Client | undefined;
  let backoffMs = 100;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let debounceTimer: NodeJS.Timeout | undefined;
  let loading: Promise<void> | undefined;
  let again = false;
  let ready = false;
  let notifiedDuringStart = false;

  const report = (error: unknown) => {
    log(`config: ${error instanceof Error ? error.message : String(error)}`);
    options.onError?.(error);
  };

  const load = async () => {
    // Bounded: a load stuck on a dead connection must not leave the watcher waiting on it (and stale) forever.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error("config load timed out")), loadTimeoutMs);
    });
    const snapshot = await Promise.race([loadConfigSnapshot({ prisma, secretKey: options.secretKey }), timeout]).finally(() =>
      clearTimeout(timer),
    );
    for (const problem of snapshot.problems) log(`${problem.skipped ? "config row skipped" : "config warning"}: ${problem.message}`);
    return snapshot;
  };

  const connectListener = async (): Promise<pg.Client> => {
    const client = createPgClient(options.databaseUrl, { keepAlive: true, connectionTimeoutMillis: 3000 });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      client.removeAllListeners("notification");
      if (listener === client) listener = undefined;
      void client.end().catch(() => {});
      if (stopped) return;
      report(error ?? new Error("config listener connection ended"));
      scheduleReconnect();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", () => scheduleReload());
    try {
      await client.connect();
      await client.query("LISTEN twofold_config");
    } catch (error) {
      lost = true;
      await client.end().catch(() => {});
      throw error;
    }
    return client;
  };

  let snapshot = undefined as unknown as TConfigSnapshot; // assigned by the first load before anyone can read it
  listener = await connectListener();
  try {
    // LISTEN before the first load, so a change committed in between is not missed.
    snapshot = await load();
  } catch (error) {
    stopped = true;
    await listener.end().catch(() => {});
    await ownPrisma?.$disconnect();
    throw error;
  }
  log(describe(snapshot));
  ready = true;
  if (notifiedDuringStart) scheduleReload();

  async function reload(): Promise<void> {
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      do {
        again = false;
        try {
          const next = await load();
          if (stopped) return;
          if (next.version !== snapshot.version) {
            const previous = snapshot;
            snapshot = next;
            log(describe(next));
            options.onSnapshot?.(next, previous);
          }
        } catch (error) {
          report(error);
          // Listener up but the load failed: try again soon rather than wait for the next NOTIFY or poll. (Listener
          // down: its reconnect reloads anyway.)
          if (listener) scheduleRetry();
        }
      } while (again && !stopped);
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  function scheduleReload() {
    if (stopped) return;
    if (!ready) {
      // The first load may have read its rows before this change committed: reload once it is done.
      notifiedDuringStart = true;
      return;
    }
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => void reload(), debounceMs);
  }

  let retryTimer: NodeJS.Timeout | undefined;
  function scheduleRetry() {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void reload();
    }, Math.min(1000, maxBackoffMs));
  }

  function scheduleReconnect() {
    if (stopped || reconnectTimer) return;
    const delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
    reconnectTimer = setTimeout(async () => {
      reconnectTimer = undefined;
      try {
        const client = await connectListener();
        if (stopped) {
          await client.end().catch(() => {});
          return;
        }
        listener = client;
        backoffMs = 100;
        log("config: listener reconnected");
        scheduleReload();
      } catch (error) {
        report(error);
        scheduleReconnect();
      }
    }, delay);
  }

  const poll = setInterval(async () => {
    if (loading || stopped) return;
    try {
      const row = await prisma.configVersion.findUnique({ where: { id: 1 } });
      if (row && Number(row.version) !== snapshot.version) scheduleReload();
    } catch {
      // the listener's reconnect loop reports outages; the poll stays quiet
    }
  }, options.pollMs ?? 10_000);
  poll.unref();

  return {
    current: () => snapshot,
    reload,
    stop: async () => {
      stopped = true;
      clearInterval(poll);
      clearTimeout(debounceTimer);
      clearTimeout(reconnectTimer);
      clearTimeout(retryTimer);
      await loading?.catch(() => {});
      await listener?.end().catch(() => {});
      await ownPrisma?.$disconnect();
    },
  };
};
