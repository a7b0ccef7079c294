import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { AppError } from "../errors/app-error";

type TStamps = { eventId: string; time: Date; workerId: string };

// What callers hand a writer: the event, with the stamps the writer supplies unless given.
export type TEventInput<TSchema extends z.ZodType> = Omit<z.input<TSchema>, keyof TStamps> & Partial<TStamps>;

export type TStampEventOptions<TSchema extends z.ZodType> = {
  schema: TSchema;
  kind: string; // "auth", "accounting": names the event in the error
  input: TEventInput<TSchema>;
  workerId: string;
};

// The writers' one check before anything reaches the journal: a fresh eventId (what makes a replayed batch insert
// nothing twice), now, and this worker where the caller gave none; a row that would not insert is refused here, with
// every field at fault named, rather than quarantined later.
export const stampEvent = <TSchema extends z.ZodType>({ schema, kind, input, workerId }: TStampEventOptions<TSchema>): z.output<TSchema> => {
  const parsed = schema.safeParse({ ...input, eventId: input.eventId ?? randomUUID(), time: input.time ?? new Date(), workerId: input.workerId ?? workerId });
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new AppError("VALIDATION", `Invalid ${kind} event: ${detail}`);
  }
  return parsed.data;
};
