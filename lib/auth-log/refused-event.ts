import type { TAuthEventInput } from "./auth-event-schema";

// What is logged for an allow refused because the journal could not take its event (RADIUS and the Duo API alike):
// an internal error, with the decision it replaces kept beside it (the journal write that failed may have reached the
// disk under its eventId, so the record gets a fresh one).
export const refusedEvent = (event: TAuthEventInput, detail: string): TAuthEventInput => ({
  ...event,
  eventId: undefined,
  result: "error",
  reason: "error",
  attributes: { detail, refused: { eventId: event.eventId ?? null, result: event.result, reason: event.reason, attributes: event.attributes ?? null } },
});
