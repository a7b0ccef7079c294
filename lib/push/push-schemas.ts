import { z } from "zod";

// The device's ECDSA P-256 public key as WebCrypto exports it (JWK).
export const ZDeviceJwkSchema = z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string().min(1), y: z.string().min(1) });
export type TDeviceJwk = z.infer<typeof ZDeviceJwkSchema>;

// PushSubscription.toJSON() from the browser.
export const ZPushSubscriptionSchema = z.object({
  endpoint: z.url(),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().min(1), auth: z.string().min(1) }),
});
export type TPushSubscription = z.infer<typeof ZPushSubscriptionSchema>;

export const ZPushDecisionSchema = z.enum(["approve", "deny", "fraud"]);
export type TPushDecision = z.infer<typeof ZPushDecisionSchema>;

export const PUSH_STATUSES = ["pending", "approved", "denied", "fraud", "timeout", "cancelled"] as const;
export type TPushStatus = (typeof PUSH_STATUSES)[number];

// NOTIFY channels: a decision (payload = request id) and a new request (payload = user id) for open authenticators.
export const PUSH_DECIDED_CHANNEL = "twofold_push_decided";
export const PUSH_NEW_CHANNEL = "twofold_push_new";
// The console's Disconnect (lib/coa/disconnect-session.ts), payload = the DisconnectRequest id: "requested" wakes the
// workers (one claims it), "done" wakes the console waiting for the NAS's answer.
export const DISCONNECT_REQUESTED_CHANNEL = "twofold_disconnect_requested";
export const DISCONNECT_DONE_CHANNEL = "twofold_disconnect_done";
export const ZDisconnectNotifyPayloadSchema = z.uuid();

// What the device signs: request id, decision and (verified push) the number it showed. Pipe-separated, none of the
// parts can contain a pipe, so two different decisions never produce the same bytes.
export const pushDecisionMessage = ({ requestId, decision, number }: { requestId: string; decision: TPushDecision; number?: string | null }): string =>
  `twofold-push-v1|${requestId}|${decision}|${number ?? ""}`;

// What an authenticator signs to open its event stream (EventSource cannot send headers).
export const streamChallengeMessage = ({ deviceId, timestampMs }: { deviceId: string; timestampMs: number }): string =>
  `twofold-stream-v1|${deviceId}|${timestampMs}`;

// What the calling program said about the login, shown beside it (the Duo API's pushinfo: "Command", "Server IP"…).
// Bounded where it is parsed (lib/duo-api/parse-push-info.ts) so a Web Push payload stays under its 4 KB.
export const ZPushDetailsSchema = z.array(z.object({ key: z.string().max(64), value: z.string().max(256) })).max(8);
export type TPushDetails = z.infer<typeof ZPushDetailsSchema>;

// What a push (Web Push payload and SSE event) tells the device.
export const ZPushNoticeSchema = z.object({
  requestId: z.string(),
  application: z.string(),
  time: z.string(),
  nasIp: z.string().nullable(),
  callingStationId: z.string().nullable(),
  verifyNumber: z.string().nullable(),
  details: ZPushDetailsSchema.optional(), // none: older workers and RADIUS logins say nothing more
});
export type TPushNotice = z.infer<typeof ZPushNoticeSchema>;
