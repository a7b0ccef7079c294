import { randomUUID } from "node:crypto";
import { AppError } from "../errors/app-error";
import { ZAccountingEventSchema, type TAccountingEvent, type TAccountingEventInput } from "./auth-event-schema";
import { createEventWriter, type TEventSink, type TEventTable } from "./create-event-writer";

export type TAccountingLogWriter = {
  write: (event: TAccountingEventInput) => void;
  flush: () => Promise<void>;
  close: () => Promise<void>;
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
    { name: "attributes", arrayType: "text", select: "?::jsonb", value: (e) => (e.attributes === null ? null : JSON.stringify(e.attributes)) },
    { name: "workerId", arrayType: "text", value: (e) => e.workerId },
  ],
};

export const createAccountingLogWriter = async (
  options: TEventSink & { spoolDir: string; workerId: string; log?: (line: string) => void; batchMs?: number },
): Promise<TAccountingLogWriter> => {
  const writer = await createEventWriter({
    ...options,
    spec: ACCOUNTING_TABLE,
    spoolPrefix: "accounting-events",
    spoolName: options.workerId.replace(/[^A-Za-z0-9_.-]/g, "_"),
  });
  return {
    write: (input) => {
      const parsed = ZAccountingEventSchema.safeParse({
        ...input,
        eventId: input.eventId ?? randomUUID(),
        time: input.time ?? new Date(),
        workerId: input.workerId ?? options.workerId,
      });
      if (!parsed.success) throw new AppError("VALIDATION", `Invalid accounting event: ${parsed.error.message}`);
      writer.enqueue(parsed.data);
    },
    flush: writer.flush,
    close: writer.close,
  };
};
