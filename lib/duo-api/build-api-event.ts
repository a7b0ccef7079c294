import type { TAuthEventInput } from "../auth-log/auth-event-schema";
import type { TAuthReason, TAuthResult } from "../auth-log/reason-codes";

const ERROR_REASONS = new Set<TAuthReason>(["upstream_timeout", "upstream_error", "error", "failmode_secure"]);

// The same result for a reason as the RADIUS flow gives it (lib/auth-flow/authenticate-access-request.ts).
export const resultFor = (accepted: boolean, reason: TAuthReason, fraud = false): TAuthResult =>
  accepted ? "success" : fraud ? "fraud" : ERROR_REASONS.has(reason) ? "error" : "failure";

export type TBuildApiEventOptions = {
  usernameRaw: string;
  username: string;
  userId?: string | null;
  applicationId: string;
  remoteAddress: string; // the calling server (proxy, pam_duo host): the NAS of this login
  ipaddr?: string; // the user's address as the client reports it: the Calling-Station-Id of this login
  hostname?: string;
  api: string;
  accepted: boolean;
  reason: TAuthReason;
  factor?: string | null;
  fraud?: boolean;
  secondFactorMs?: number;
  detail?: string;
  loginId?: string; // the push request the login waited on (see lib/second-factor/types.ts)
};

export const buildApiEvent = (options: TBuildApiEventOptions): TAuthEventInput => ({
  usernameRaw: options.usernameRaw,
  username: options.username,
  userId: options.userId ?? null,
  applicationId: options.applicationId,
  radiusClientId: null,
  clientName: options.hostname ?? null,
  nasIp: options.remoteAddress,
  callingStationId: options.ipaddr ?? null,
  factor: options.factor ?? null,
  result: resultFor(options.accepted, options.reason, options.fraud),
  reason: options.reason,
  primaryMs: null,
  secondFactorMs: options.secondFactorMs ?? null,
  attributes: { api: options.api, ...(options.hostname ? { hostname: options.hostname } : {}), ...(options.detail ? { detail: options.detail } : {}) },
  loginId: options.loginId ?? null,
});
