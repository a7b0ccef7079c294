import { randomUUID } from "node:crypto";
import { AppError } from "../errors/app-error";
import { ZAuthEventSchema, type TAuthEvent, type TAuthEventInput } from "./auth-event-schema";
import { createEventWriter, type TEventSink, type TEventTable } from "./create-event-writer";

export type TAuthLogWriter = {
  // Never waits on the database: the event is validated, queued and written with the next batch.
  write: (event: TAuthEventInput) => TAuthEvent;
  flush: () => Promise<void>;
  close: () => Promise<void>;
  stats: () => { queued: number; inserted: number; spooled: number; replayed: number; spooling: boolean };
};

const nullableJson = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

const AUTH_EVENT_TABLE: TEventTable<TAuthEvent> = {
  table: "AuthEvent",
  conflictColumn: "eventId",
  parse: (value) => ZAuthEventSchema.parse(value),
  columns: [
    { name: "eventId", arrayType: "uuid", value: (e) => e.eventId },
    // Prisma's DateTime is timestamp(3) without zone holding UTC; say so explicitly rather than trust the session zone.
    { name: "time", arrayType: "timestamptz", select: "(? AT TIME ZONE 'UTC')", value: (e) => e.time.toISOString() },
    { name: "usernameRaw", arrayType: "text", value: (e) => e.usernameRaw },
    { name: "username", arrayType: "text", value: (e) => e.username },
    { name: "userId", arrayType: "uuid", value: (e) => e.userId },
    { name: "applicationId", arrayType: "uuid", value: (e) => e.applicationId },
    { name: "radiusClientId", arrayType: "uuid", value: (e) => e.radiusClientId },
    { name: "clientName", arrayType: "text", value: (e) => e.clientName },
    { name: "nasIp", arrayType: "text", value: (e) => e.nasIp },
    { name: "callingStationId", arrayType: "text", value: (e) => e.callingStationId },
    { name: "factor", arrayType: "text", value: (e) => e.factor },
    { name: "result", arrayType: "text", select: `?::"AuthResult"`, value: (e) => e.result },
    { name: "reason", arrayType: "text", value: (e) => e.reason },
    { name: "primaryMs", arrayType: "int", value: (e) => e.primaryMs },
    { name: "secondFactorMs", arrayType: "int", value: (e) => e.secondFactorMs },
    { name: "attributes", arrayType: "text", select: "?::jsonb", value: (e) => nullableJson(e.attributes) },
    { name: "workerId", arrayType: "text", value: (e) => e.workerId },
  ],
};

// The worker's auth log: batched inserts, a disk spool while Postgres is away, replay in order when it returns.
// Crash exposure: each batch is appended to the spool (fdatasync) before it is inserted, so a crash loses only the
// events still in memory, i.e. those written within the last batch interval (200 ms by default, at most one batch).
export const createAuthLogWriter = async (
  options: TEventSink & { spoolDir: string; workerId: string; log?: (line: string) => void; batchMs?: number; batchSize?: number },
): Promise<TAuthLogWriter> => {
  const writer = await createEventWriter({
    ...options,
    spec: AUTH_EVENT_TABLE,
    spoolPrefix: "auth-events",
    spoolName: options.workerId.replace(/[^A-Za-z0-9_.-]/g, "_"),
  });
  return {
    write: (input) => {
      const parsed = ZAuthEventSchema.safeParse({
        ...input,
        eventId: input.eventId ?? randomUUID(),
        time: input.time ?? new Date(),
        workerId: input.workerId ?? options.workerId,
      });
      if (!parsed.success) {
        const detail = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
        throw new AppError("VALIDATION", `Invalid auth event: ${detail}`);
      }
      writer.enqueue(parsed.data);
      return parsed.data;
    },
    flush: writer.flush,
    close: writer.close,
    stats: writer.stats,
  };
};
