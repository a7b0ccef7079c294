import pg from "pg";
import type { TPrisma } from "../db";
import { openEventSpool, SpoolAppendError, type TSpoolSegment } from "./event-spool";
import { createGroupCommit } from "./group-commit";
import { insertOrQuarantine } from "./insert-or-quarantine";
import { storableJson, storableText } from "./storable-text";
import { pgPoolConfig } from "../db/pg-connection";

// Each column travels as one array parameter (`arrayType[]`) and is unnested server-side; `select` turns the unnested
// value into the column's type ("?" stands for it), e.g. text -> enum. Text columns and `json` columns (sent as text,
// cast to jsonb) pass through storableText here, at the one place every row goes through, so no caller can forget.
export type TColumn<T> = { name: string; arrayType: string; select?: string; json?: true; value: (event: T) => unknown };

export type TEventTable<T> = {
  table: string;
  columns: TColumn<T>[];
  conflictColumn?: string; // makes a replay idempotent
  parse: (value: unknown) => T; // for spooled lines
  relax?: (event: T, error: unknown) => T | undefined; // a refused row's last chance before quarantine
};

export type TEventSink = { databaseUrl: string; prisma?: undefined } | { prisma: TPrisma; databaseUrl?: undefined };

export type TEventWriterStats = {
  queued: number; // journaled, not yet in the database
  inserted: number; // rows the database took (replayed ones included)
  spooled: number; // rows that waited on disk because the database was away
  replayed: number; // rows inserted from a segment that had waited or was left by an earlier run
  quarantined: number; // rows the database refused for their content, set aside in the quarantine file
  journalFailed: number; // rows the disk refused to journal (full, failing): refused to their caller or, best effort, sent from memory
  lost: number; // rows neither the journal nor the database took
  spooling: boolean;
  journalFailing: boolean; // the last journal write failed: answered decisions are not durable, accepts are refused
};

export type TEventWriter<T> = {
  // Resolves once the event is on disk (group commit). Rejects when the disk refused it; the event is then not logged
  // at all, so that a caller that was to answer on the strength of it (an Access-Accept) can answer otherwise and
  // `record` what it did instead. Throws at once if the writer is closed.
  journal: (event: T) => Promise<void>;
  // Best effort, for what is answered whatever the disk says: on disk if it can be, else sent to the database from
  // memory (counted, logged). Never rejects for the disk.
  record: (event: T) => Promise<void>;
  flush: () => Promise<void>;
  close: () => Promise<void>;
  stats: () => TEventWriterStats;
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

// Journal first, database second: `journal` appends to the spool (fdatasync, shared by every event that arrives while
// one is in progress) and the worker answers the NAS only after that. A timer feeds the database from the journal in
// the background, segment by segment and in order; while the database is unreachable the segments wait on disk and
// are retried with backoff. A row the database refuses for its content is quarantined, the rest go on.
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
  const spool = await openEventSpool<T>({ spoolDir: options.spoolDir, name: `${options.spoolPrefix}-${options.spoolName}`, prefix: options.spoolPrefix, log });
  const pool = options.databaseUrl
    ? new pg.Pool(pgPoolConfig(options.databaseUrl, { max: 2, connectionTimeoutMillis: 5000, query_timeout: 15_000 }))
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
  const selectList = spec.columns.map((column, index) => (column.select ?? (column.json ? "?::jsonb" : "?")).replace("?", `c${index}`)).join(", ");
  const unnestArgs = spec.columns.map((column, index) => `$${index + 1}::${column.json ? "text" : column.arrayType}[]`).join(", ");
  const aliases = spec.columns.map((_column, index) => `c${index}`).join(", ");
  const conflict = spec.conflictColumn ? ` ON CONFLICT ("${spec.conflictColumn}") DO NOTHING` : "";
  const sql = `INSERT INTO "${spec.table}" (${columnList}) SELECT ${selectList} FROM unnest(${unnestArgs}) AS t(${aliases})${conflict}`;
  const columnValue = (column: TColumn<T>, event: T) => {
    const value = column.value(event);
    if (column.json) return value === null || value === undefined ? null : JSON.stringify(storableJson(value));
    return typeof value === "string" && column.arrayType === "text" ? storableText(value) : value;
  };
  const insertStatement = (events: T[]) => execute(sql, spec.columns.map((column) => events.map((event) => columnValue(column, event))));

  const counters = { inserted: 0, spooled: 0, replayed: 0, quarantined: 0, journalFailed: 0, lost: 0 };

  // Evidence is never dropped silently: the refused line, why, and when. A quarantine that cannot be written must not
  // block the log either, so it only counts as lost.
  const quarantine = async (line: string, reason: string) => {
    try {
      await spool.quarantine([JSON.stringify({ quarantinedAt: new Date().toISOString(), table: spec.table, reason, line })]);
      counters.quarantined += 1;
      log(`auth log: QUARANTINED a ${spec.table} row the database refused (${reason}); kept in ${spool.quarantineFile}`);
    } catch (error) {
      counters.lost += 1;
      log(`auth log: LOST a refused ${spec.table} row, the quarantine file cannot be written (${message(error)}): ${line}`);
    }
  };

  const insertAll = async (events: T[]) => {
    let inserted = 0;
    for (let start = 0; start < events.length; start += batchSize) {
      const outcome = await insertOrQuarantine({
        rows: events.slice(start, start + batchSize),
        insert: insertStatement,
        relax: spec.relax,
        quarantine: (event, error) => quarantine(JSON.stringify(event), message(error)),
      });
      inserted += outcome.inserted;
    }
    counters.inserted += inserted;
  };

  // Events whose journal write failed and whose caller was told so, should a part of that write have stayed in the
  // file (event-spool cuts it off when it can): read back, they would log a decision that was never answered.
  const idColumn = spec.columns.find((column) => column.name === spec.conflictColumn);
  const idOf = (event: T) => (idColumn ? String(idColumn.value(event)) : undefined);
  const refused = new Set<string>();

  const parseLines = async (lines: string[]) => {
    const events: T[] = [];
    for (const line of lines) {
      try {
        const event = spec.parse(JSON.parse(line));
        const id = idOf(event);
        if (id !== undefined && refused.has(id)) {
          refused.delete(id);
          continue;
        }
        events.push(event);
      } catch (error) {
        await quarantine(line, `unreadable spool line: ${message(error)}`); // a torn write, or not an event at all
      }
    }
    return events;
  };

  let unjournaled: T[] = [];
  let spooling = false;
  let retryMs = 100;
  let nextRetryAt = 0;
  let failedLength = 0; // events of the last attempt, when it failed: a retry counts only the new ones as spooled
  let segmentEvents: T[] | undefined; // a segment read back from disk, parsed (and its bad lines quarantined) once
  let chain: Promise<void> = Promise.resolve();
  let running = false;

  const eventsOf = async (segment: TSpoolSegment<T>) => ("items" in segment ? segment.items : (segmentEvents ??= await parseLines(segment.lines)));

  const step = async (force: boolean) => {
    if (unjournaled.length > 0) {
      const batch = unjournaled;
      unjournaled = [];
      try {
        await insertAll(batch);
      } catch (error) {
        counters.lost += batch.length;
        log(`auth log: LOST ${batch.length} ${spec.table} rows: neither the journal nor the database took them (${message(error)})`);
      }
    }
    if (spooling && !force && Date.now() < nextRetryAt) return;
    // A timer step does what was waiting when it began (a leftover segment, then the live journal); a flush empties all.
    for (let round = 0; round < (force ? 10_000 : 2); round += 1) {
      const segment = await spool.next();
      if (!segment) return;
      const fromDisk = "lines" in segment;
      const events = await eventsOf(segment);
      try {
        await insertAll(events);
      } catch (error) {
        // The segment stays on disk. Inserts are idempotent by eventId, so a part that did commit is not duplicated.
        if (!spooling) log(`auth log: database unavailable, spooling ${spec.table} rows to disk (${message(error)})`);
        counters.spooled += Math.max(0, events.length - failedLength);
        [spooling, failedLength] = [true, events.length];
        nextRetryAt = Date.now() + retryMs;
        retryMs = Math.min(retryMs * 2, maxRetryMs);
        return;
      }
      await spool.done(segment);
      if (failedLength > 0 || fromDisk) {
        counters.replayed += events.length;
        log(`auth log: ${spooling ? "database back, " : ""}replayed ${events.length} spooled ${spec.table} rows`);
      }
      [spooling, failedLength, segmentEvents, retryMs] = [false, 0, undefined, 100];
    }
  };

  const run = (force: boolean) => {
    running = true;
    chain = chain
      .then(() => step(force))
      // Only the spool itself can land here (rotation or read failed): the journal stays, the next step retries.
      .catch((error: unknown) => log(`auth log: ${spec.table} journal: ${message(error)}`))
      .finally(() => {
        running = false;
      });
    return chain;
  };
  const kick = () => {
    if (!running) void run(false);
  };

  // `error` is set on a durable entry whose write failed; the group's other entries are not held back by it.
  type TEntry = { event: T; durable: boolean; error?: unknown };
  let journalFailing = false;
  const commit = createGroupCommit<TEntry>({
    write: async (entries) => {
      try {
        await spool.append(entries.map(({ event }) => ({ line: JSON.stringify(event), item: event })));
        journalFailing = false;
      } catch (error) {
        counters.journalFailed += entries.length;
        journalFailing = true;
        let refusedCount = 0;
        for (const entry of entries) {
          if (!entry.durable) {
            unjournaled.push(entry.event);
            continue;
          }
          entry.error = error;
          refusedCount += 1;
          const id = idOf(entry.event);
          if (id !== undefined && error instanceof SpoolAppendError && error.mayRemain) refused.add(id);
        }
        log(`auth log: CANNOT JOURNAL ${entries.length} ${spec.table} rows (${message(error)}): ${refusedCount} refused to their callers, ${entries.length - refusedCount} sent to the database from memory`);
      }
      if (spool.pending() >= batchSize || unjournaled.length >= batchSize) kick();
    },
  });
  let closed = false;
  const add = (event: T, durable: boolean): Promise<void> => {
    if (closed) throw new Error("auth log writer is closed");
    const entry: TEntry = { event, durable };
    return commit.add(entry).then(() => {
      if (entry.error !== undefined) throw new Error(`${spec.table} journal write failed: ${message(entry.error)}`, { cause: entry.error });
    });
  };

  const timer = setInterval(() => {
    if (spool.pending() > 0 || unjournaled.length > 0) kick();
  }, options.batchMs ?? 200);
  timer.unref();

  return {
    journal: (event) => add(event, true),
    record: (event) => add(event, false),
    flush: async () => {
      await commit.idle();
      await run(true);
    },
    close: async () => {
      closed = true;
      clearInterval(timer);
      await commit.idle();
      await run(true);
      // A batch that just failed stays in the spool; one more forced replay before giving up on a clean handover.
      if (spooling) await run(true);
      await spool.close();
      await pool?.end().catch(() => {});
    },
    stats: () => ({ queued: spool.pending() + unjournaled.length, ...counters, spooling, journalFailing }),
  };
};
