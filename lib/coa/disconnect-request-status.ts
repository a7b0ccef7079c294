import { z } from "zod";

// A DisconnectRequest's life (prisma/migrations/20261204153100_disconnect_requests): pending until one worker claims
// it (sending), then the NAS's answer; or expired (no worker claimed it in time: nothing was sent), ended (the
// session was over when the worker looked: nothing was sent), lost (the worker stopped while sending: never resent,
// since the NAS may have acted on it).
export const ZDisconnectStatusSchema = z.enum(["pending", "sending", "acked", "nak", "no_answer", "ended", "expired", "lost"]);
export type TDisconnectStatus = z.infer<typeof ZDisconnectStatusSchema>;

export const DISCONNECT_OPEN_STATUSES: readonly TDisconnectStatus[] = ["pending", "sending"];

// What the audit entry says for the requests that never got an answer from the NAS.
export const UNANSWERED_OUTCOME = {
  expired: "not sent: no worker was running to send it",
  lost: "unknown: the worker stopped while sending it",
} as const;
