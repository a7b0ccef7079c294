import { randomUUID } from "node:crypto";
import { AppError } from "../errors/app-error";
import { ZAccountingEventSchema, type TAccountingEvent, type TAccountingEventInput } from "./auth-event-schema";
import { createEventWriter, type TEventSink, type TEventTable, type TEventWriterStats } from "./create-event-writer";

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

export const createAccountingLogWriter = async (
  options: TEventSink & { spoolDir: string; workerId: string; log?: (line: string) => void; batchMs?: number; batchSize?: number },
): Promise<TAccountingLogWriter> => {
  const writer = await createEventWriter({
    ...options,
    spec: ACCOUNTING_TABLE,
    spoolPrefix: "accounting-events",
    spoolName: options.workerId.replace(/[^A-Za-z0-9_.-]/g, "_"),
  });
  const validate = (input: TAccountingEventInput): TAccountingEvent => {
    const parsed = ZAccountingEventSchema.safeParse({
      ...input,
      eventId: input.eventId ?? randomUUID(),
      time: input.time ?? new Date(),
      workerId: input.workerId ?? options.workerId,
    });
    if (!parsed.success) throw new AppError("VALIDATION", `Invalid accounting event: ${parsed.error.message}`);
    return parsed.data;
  };
  return {
    journal: async (input) => {
      const event = validate(input);
      await writer.record(event);
      return event;
    },
    write: (input) => {
      const event = validate(input);
      void writer.record(event);
      return event;
    },
    flush: writer.flush,
    close: writer.close,
    stats: writer.stats,
  };
};
