import { ZAuthEventSchema, type TAuthEvent, type TAuthEventInput } from "./auth-event-schema";
import type { TEventTable, TEventWriterStats } from "./create-event-writer";
import { createStampedEventWriter, type TLogWriterOptions } from "./create-stamped-event-writer";

export type TAuthLogWriter = {
  // Validates and journals; resolves once the event is on disk (a few ms, shared fsync). The worker awaits this before
  // it answers the NAS, so no answered decision can be lost in a crash. Rejects when the disk refused it, and then the
  // event is not logged: the caller must not grant on it (an Accept becomes an `error` reject) and records that.
  journal: (event: TAuthEventInput) => Promise<TAuthEvent>;
  // Best effort: on disk when it can be, else to the database from memory (counted in stats). Never rejects for the disk.
  record: (event: TAuthEventInput) => Promise<TAuthEvent>;
  // The same without waiting for the disk, for callers that answer nobody.
  write: (event: TAuthEventInput) => TAuthEvent;
  flush: () => Promise<void>;
  close: () => Promise<void>;
  stats: () => TEventWriterStats;
};

const AUTH_EVENT_TABLE: TEventTable<TAuthEvent> = {
  table: "AuthEvent",
  conflictColumn: "eventId",
  parse: (value) => ZAuthEventSchema.parse(value),
  // No foreign keys (migration 20261204021700): an event of a user or application deleted while it waited is stored
  // with the ids it was decided for, not refused.
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
    { name: "attributes", arrayType: "jsonb", json: true, value: (e) => e.attributes },
    { name: "workerId", arrayType: "text", value: (e) => e.workerId },
    { name: "loginId", arrayType: "uuid", value: (e) => e.loginId },
  ],
};

// The worker's auth log: a journal on disk before every answer, batched inserts from it, a spool while Postgres is
// away, replay in order when it returns, quarantine for a row Postgres refuses.
export const createAuthLogWriter = (options: TLogWriterOptions): Promise<TAuthLogWriter> =>
  createStampedEventWriter({ ...options, schema: ZAuthEventSchema, kind: "auth", spec: AUTH_EVENT_TABLE, spoolPrefix: "auth-events" });
