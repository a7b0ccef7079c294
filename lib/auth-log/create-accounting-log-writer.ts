import { ZAccountingEventSchema, type TAccountingEvent, type TAccountingEventInput } from "./auth-event-schema";
import type { TEventTable, TEventWriterStats } from "./create-event-writer";
import { createStampedEventWriter, type TLogWriterOptions } from "./create-stamped-event-writer";

export type TAccountingLogWriter = {
  // Resolves once the record is on disk: RFC 2866 §2 lets the server answer only after it has recorded the request.
  // Best effort: a record the disk refused goes to the database from memory (counted in stats); it never rejects.
  journal: (event: TAccountingEventInput) => Promise<TAccountingEvent>;
  write: (event: TAccountingEventInput) => TAccountingEvent; // without waiting for the disk
  flush: () => Promise<void>;
  close: () => Promise<void>;
  stats: () => TEventWriterStats;
};

// Like auth events: a client-side id makes a replayed batch (committed, but its answer lost) insert nothing twice.
const ACCOUNTING_TABLE: TEventTable<TAccountingEvent> = {
  table: "AccountingEvent",
  conflictColumn: "eventId",
  parse: (value) => ZAccountingEventSchema.parse(value),
  columns: [
    { name: "eventId", arrayType: "uuid", value: (e) => e.eventId },
    { name: "time", arrayType: "timestamptz", select: "(? AT TIME ZONE 'UTC')", value: (e) => e.time.toISOString() },
    { name: "username", arrayType: "text", value: (e) => e.username },
    { name: "statusType", arrayType: "text", value: (e) => e.statusType },
    { name: "sessionId", arrayType: "text", value: (e) => e.sessionId },
    { name: "nasIp", arrayType: "text", value: (e) => e.nasIp },
    { name: "attributes", arrayType: "jsonb", json: true, value: (e) => e.attributes },
    { name: "workerId", arrayType: "text", value: (e) => e.workerId },
  ],
};

// Its journal is the best-effort one (record): an accounting answer is never refused for the disk.
export const createAccountingLogWriter = async (options: TLogWriterOptions): Promise<TAccountingLogWriter> => {
  const writer = await createStampedEventWriter({ ...options, schema: ZAccountingEventSchema, kind: "accounting", spec: ACCOUNTING_TABLE, spoolPrefix: "accounting-events" });
  return { journal: writer.record, write: writer.write, flush: writer.flush, close: writer.close, stats: writer.stats };
};
