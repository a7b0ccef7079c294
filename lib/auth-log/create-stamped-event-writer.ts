import type { z } from "zod";
import { workerFileTag } from "../workers/worker-file-tag";
import { createEventWriter, type TEventSink, type TEventTable, type TEventWriterStats } from "./create-event-writer";
import { stampEvent, type TEventInput } from "./stamp-event";

// What the worker passes to either log's writer.
export type TLogWriterOptions = TEventSink & { spoolDir: string; workerId: string; log?: (line: string) => void; batchMs?: number; batchSize?: number };

export type TStampedEventWriter<TSchema extends z.ZodType> = {
  // Resolves once the event is on disk; rejects when the disk refused it (the event is then not logged).
  journal: (input: TEventInput<TSchema>) => Promise<z.output<TSchema>>;
  // Best effort: on disk when it can be, else to the database from memory (counted in stats). Never rejects for the disk.
  record: (input: TEventInput<TSchema>) => Promise<z.output<TSchema>>;
  // The same without waiting for the disk.
  write: (input: TEventInput<TSchema>) => z.output<TSchema>;
  flush: () => Promise<void>;
  close: () => Promise<void>;
  stats: () => TEventWriterStats;
};

export type TCreateStampedEventWriterOptions<TSchema extends z.ZodType> = TLogWriterOptions & {
  schema: TSchema;
  kind: string; // "auth": names the event in a validation error
  spec: TEventTable<z.output<TSchema>>;
  spoolPrefix: string; // "auth-events": one kind of event per prefix
};

// The auth and accounting logs' writers: every event stamped and validated (stampEvent) before the event writer
// journals it under this worker's spool name; each log picks which of the three ways its callers get.
export const createStampedEventWriter = async <TSchema extends z.ZodType>(
  options: TCreateStampedEventWriterOptions<TSchema>,
): Promise<TStampedEventWriter<TSchema>> => {
  const { schema, kind, workerId } = options;
  const writer = await createEventWriter({ ...options, spoolName: workerFileTag(workerId) });
  const stamp = (input: TEventInput<TSchema>) => stampEvent({ schema, kind, input, workerId });
  return {
    journal: async (input) => {
      const event = stamp(input);
      await writer.journal(event);
      return event;
    },
    record: async (input) => {
      const event = stamp(input);
      await writer.record(event);
      return event;
    },
    write: (input) => {
      const event = stamp(input);
      void writer.record(event);
      return event;
    },
    flush: writer.flush,
    close: writer.close,
    stats: writer.stats,
  };
};
