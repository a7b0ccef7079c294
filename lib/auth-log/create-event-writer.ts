import pg from "pg";
import type { TPrisma } from "../db";
import { openEventSpool } from "./event-spool";

// Each column travels as one array parameter (`arrayType[]`) and is unnested server-side; `select` turns the unnested
// value into the column's type ("?" stands for it), e.g. text -> enum or jsonb.
export type TColumn<T> = { name: string; arrayType: string; select?: string; value: (event: T) => unknown };

export type TEventTable<T> = {
  table: string;
  columns: TColumn<T>[];
  conflictColumn?: string; // makes a replay idempotent
  parse: (value: unknown) => T; // for spooled lines
};

export type TEventSink = { databaseUrl: string; prisma?: undefined } | { prisma: TPrisma; databaseUrl?: undefined };

export type TEventWriter<T> = {
  enqueue: (event: T) => void;
  flush: () => Promise<void>;
  close: () => Promise<void>;
  stats: () => { queued: number; inserted: number; spooled: number; replayed: number; spooling: boolean };
};

// Batches events into multi-row inserts, journaling each batch to the spool first; while the database is unreachable
// the spool grows and is replayed, in order, once it answers again. All database and spool work runs one step at a
// time, so order holds. Crash exposure: only events still in memory, i.e. written within the last batch interval.
export const createEventWriter = async <T>(
  options: TEventSink & {
    spec: TEventTable<T>;
    spoolDir: string;
    spoolPrefix: string; // one kind of event per prefix: "auth-events"
    spoolName: string; // the worker id, made file-name safe
    log?: (line: string) => void;
    batchMs?: number;
    batchSize?: number;
    maxRetryMs?: number;
  },
): Promise<TEventWriter<T>> => {
  const log = options.log ?? (() => {});
  const { spec } = options;
  const batchSize = options.batchSize ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  const spool = await openEventSpool({ spoolDir: options.spoolDir, name: `${options.spoolPrefix}-${options.spoolName}`, prefix: options.spoolPrefix, log });
  const pool = options.databaseUrl
    ? new pg.Pool({ connectionString: options.databaseUrl, max: 2, connectionTimeoutMillis: 5000, query_timeout: 15_000 })
    : undefined;
  // An idle connection dying with the server emits here; without a listener it would crash the process.
  pool?.on("error", (error) => log(`auth log: idle connection lost: ${error.message}`));

  const execute = async (sql: string, params: unknown[]) => {
    if (pool) await pool.query(sql, params);
    else await options.prisma!.$executeRawUnsafe(sql, ...params);
  };

  // INSERT ... SELECT FROM unnest(arrays): one parameter per column whatever the batch size, far cheaper to bind and
  // plan than a VALUES list with thousands of placeholders.
  const columnList = spec.columns.map((column) => `"${column.name}"`).join(", ");
  const selectList = spec.columns.map((column, index) => (column.select ?? "?").replace("?", `c${index}`)).join(", ");
  const unnestArgs = spec.columns.map((column, index) => `$${index + 1}::${column.arrayType}[]`).join(", ");
  const aliases = spec.columns.map((_column, index) => `c${index}`).join(", ");
  const conflict = spec.conflictColumn ? ` ON CONFLICT ("${spec.conflictColumn}") DO NOTHING` : "";
  const sql = `INSERT INTO "${spec.table}" (${columnList}) SELECT ${selectList} FROM unnest(${unnestArgs}) AS t(${aliases})${conflict}`;
  const insert = async (events: T[]) => {
    for (let start = 0; start < events.length; start += batchSize) {
      const chunk = events.slice(start, start + batchSize);
      await execute(sql, spec.columns.map((column) => chunk.map((event) => column.value(event))));
    }
  };

  let queue: T[] = [];
  let spooling = await spool.hasData();
  let retryMs = 100;
  let nextRetryAt = 0;
  let chain: Promise<void> = Promise.resolve();
  const counters = { inserted: 0, spooled: 0, replayed: 0 };

  const replay = async () => {
    const replayed = await spool.drain(async (lines) => {
      const events: T[] = [];
      for (const line of lines) {
        try {
          events.push(spec.parse(JSON.parse(line)));
        } catch (error) {
          log(`auth log: skipping unreadable spool line (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      await insert(events);
    });
    counters.replayed += replayed;
    return replayed;
  };

  const step = async (force: boolean) => {
    const batch = queue;
    queue = [];
    if (batch.length === 0 && !spooling) return;
    // Journal first: once appended (fdatasync), a crash can no longer lose these events.
    let journaled = true;
    try {
      await spool.append(batch.map((event) => JSON.stringify(event)));
    } catch (error) {
      journaled = false;
      log(`auth log: cannot write the spool (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!spooling || !journaled) {
      try {
        await insert(batch);
        counters.inserted += batch.length;
        if (journaled && !spooling) await spool.clear();
        return;
      } catch (error) {
        if (!journaled) {
          log(`auth log: LOST ${batch.length} ${spec.table} rows: neither the database nor the spool took them`);
          return;
        }
        // The batch stays in the spool. Inserts are idempotent by eventId, so a part that did commit is not duplicated.
        log(`auth log: database unavailable, spooling ${spec.table} rows to disk (${error instanceof Error ? error.message : String(error)})`);
        spooling = true;
        counters.spooled += batch.length;
        nextRetryAt = Date.now() + retryMs;
        return;
      }
    }
    counters.spooled += batch.length;
    if (!force && Date.now() < nextRetryAt) return;
    try {
      const replayed = await replay();
      spooling = false;
      retryMs = 100;
      if (replayed > 0) log(`auth log: database back, replayed ${replayed} spooled ${spec.table} rows`);
    } catch {
      retryMs = Math.min(retryMs * 2, maxRetryMs);
      nextRetryAt = Date.now() + retryMs;
    }
  };

  const run = (force: boolean) => {
    chain = chain.then(() => step(force)).catch((error: unknown) => {
      // Only a spool write can land here (disk full, permissions): the events of that batch are lost; say so loudly.
      log(`auth log: CANNOT SPOOL EVENTS: ${error instanceof Error ? error.message : String(error)}`);
    });
    return chain;
  };

  let running = false;
  const timer = setInterval(() => {
    if (running || (queue.length === 0 && !spooling)) return;
    running = true;
    void run(false).finally(() => {
      running = false;
    });
  }, options.batchMs ?? 200);
  timer.unref();

  let closed = false;
  return {
    enqueue: (event) => {
      if (closed) throw new Error("auth log writer is closed");
      queue.push(event);
      if (queue.length >= batchSize && !running) {
        running = true;
        void run(false).finally(() => {
          running = false;
        });
      }
    },
    flush: () => run(true),
    close: async () => {
      closed = true;
      clearInterval(timer);
      await run(true);
      // A batch that just failed went to the spool; one more forced replay before giving up on a clean handover.
      if (spooling) await run(true);
      await pool?.end().catch(() => {});
    },
    stats: () => ({ queued: queue.length, ...counters, spooling }),
  };
};
