import { z } from "zod";
import { ZAuthReasonSchema, ZAuthResultSchema } from "./reason-codes";
import type { TEventInput } from "./stamp-event";

const optionalText = z.string().nullish().transform((value) => value ?? null);
const optionalUuid = z.uuid().nullish().transform((value) => value ?? null);
const optionalMs = z.number().int().min(0).nullish().transform((value) => (value === undefined || value === null ? null : Math.round(value)));

// One authentication decision, as the worker hands it to the writer. `eventId` and `time` are filled in by the writer
// when absent; `eventId` makes inserts idempotent so a replayed spool never duplicates an event.
export const ZAuthEventSchema = z.object({
  eventId: z.uuid(),
  time: z.coerce.date(),
  usernameRaw: z.string(),
  username: z.string(),
  userId: optionalUuid,
  applicationId: optionalUuid,
  radiusClientId: optionalUuid,
  clientName: optionalText,
  nasIp: optionalText,
  callingStationId: optionalText,
  factor: optionalText,
  result: ZAuthResultSchema,
  reason: ZAuthReasonSchema,
  primaryMs: optionalMs,
  secondFactorMs: optionalMs,
  attributes: z.json().nullish().transform((value) => value ?? null),
  workerId: z.string().min(1),
  // One login's events share it (the push request's id) whichever workers wrote them; absent: the event is the login.
  loginId: optionalUuid,
});
export type TAuthEvent = z.infer<typeof ZAuthEventSchema>;

// What callers pass to `write`: the writer supplies eventId, time and workerId unless given.
export type TAuthEventInput = TEventInput<typeof ZAuthEventSchema>;

export const ZAccountingEventSchema = z.object({
  eventId: z.uuid(),
  time: z.coerce.date(),
  username: z.string(),
  statusType: z.string(),
  sessionId: optionalText,
  nasIp: optionalText,
  attributes: z.json().nullish().transform((value) => value ?? null),
  workerId: z.string().min(1),
});
export type TAccountingEvent = z.infer<typeof ZAccountingEventSchema>;
export type TAccountingEventInput = TEventInput<typeof ZAccountingEventSchema>;
